"""``assemble`` wires the model layer only when a model is named (DESIGN §2, §7).

With ``llm_model="none"`` the interview keeps its deterministic parts and ``assistant.llm`` is
never imported; with a model the mapper, the phraser and the answerer are the model-backed
ones around the deterministic parts, built from the ``llm_*`` settings; a setting that cannot
be honoured fails at start-up with a message that names the fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

import assistant.llm.layer
import assistant.retrieval.runtime
from assistant.errors import ConfigurationError
from assistant.interview.mapping import DeterministicMapper
from assistant.interview.runtime import Assembly, assemble
from assistant.knowledge.schema import FindingStatus
from assistant.llm.chat import ModelRequestsBlocked
from assistant.llm.config import ModelConfig
from assistant.llm.grounded import GroundedAnswerer
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, MappedAnswer, ModelMapper
from assistant.llm.phrasing import IndicatorQuestion, ModelPhraser
from assistant.retrieval.index import RetrievalIndex
from assistant.session.models import QuestionKind
from assistant.settings import Settings
from assistant.storage.memory import InMemorySessionStore
from tests.utils.fake_chat import (
    SAMPLE_ANSWER,
    SAMPLE_PROSE,
    SAMPLE_QUESTION,
    CannedAnswerer,
    ScriptedChatModel,
    mapped_json,
)
from tests.utils.interview import Driver

ROOT = Path(__file__).resolve().parents[3]
LOCAL = "http://127.0.0.1:9/v1"  # nothing listens there; building a client sends nothing

# Assemble in a fresh interpreter and report which optional modules it imported.
_PROBE = """
import json, sys
from pathlib import Path
from assistant.interview.runtime import assemble, open_session_store
from assistant.settings import Settings

settings = Settings(data_dir=Path(sys.argv[1]), llm_model=sys.argv[2], llm_base_url=sys.argv[3])
assembly = assemble(settings, open_session_store(settings), None)
loaded = sorted({name.split('.')[0] for name in sys.modules} & {'langchain_core', 'openai'})
print(json.dumps({
    'llm': 'assistant.llm' in sys.modules,
    'mapper': type(assembly.service.manager._mapper).__name__,
    'loaded': loaded,
}))
"""


def _probe(data_dir: Path, model: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMECMM_")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(data_dir), model, LOCAL],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class _FakeIndex:
    """Enough of a ``RetrievalIndex`` for ``assemble``: the upload desk asks for a searcher."""

    searcher = object()


class _Factory:
    """Stands in for ``make_chat_model``: records each config, returns the scripted fake."""

    def __init__(self, chat: ScriptedChatModel) -> None:
        self.chat = chat
        self.configs: list[ModelConfig] = []

    def __call__(self, config: ModelConfig) -> ScriptedChatModel | None:
        self.configs.append(config)
        return self.chat if config.enabled else None


def _settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings.model_validate({"data_dir": tmp_path / "data", **values})


@pytest.fixture
def chat() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def factory(monkeypatch: pytest.MonkeyPatch, chat: ScriptedChatModel) -> _Factory:
    fake = _Factory(chat)
    monkeypatch.setattr(assistant.llm.layer, "make_chat_model", fake)
    return fake


@pytest.fixture
def base_answerer(monkeypatch: pytest.MonkeyPatch) -> CannedAnswerer:
    canned = CannedAnswerer(SAMPLE_ANSWER)

    def open_answerer(settings: Settings, index: object = None) -> CannedAnswerer:
        return canned

    monkeypatch.setattr(assistant.retrieval.runtime, "open_answerer", open_answerer)
    return canned


def _assemble(settings: Settings, *, index: bool = False) -> Assembly:
    fake_index = cast(RetrievalIndex, _FakeIndex()) if index else None
    return assemble(settings, InMemorySessionStore(), fake_index)


# ------------------------------------------------------------------ no model


def test_no_model_keeps_the_deterministic_parts(tmp_path: Path) -> None:
    assembly = _assemble(_settings(tmp_path, llm_model="none"))

    assert type(assembly.service.manager._mapper) is DeterministicMapper
    assert assembly.service.renderer._phraser is None
    assert assembly.answerer is None and assembly.service.answerer is None


@pytest.mark.parametrize("spelling", ["none", "None", " NONE ", ""])
def test_every_spelling_of_none_means_no_model(
    tmp_path: Path, spelling: str, factory: _Factory, base_answerer: CannedAnswerer
) -> None:
    assembly = _assemble(_settings(tmp_path, llm_model=spelling), index=True)

    assert factory.configs == []
    assert assembly.answerer is base_answerer
    assert type(assembly.service.manager._mapper) is DeterministicMapper


def test_no_model_never_imports_the_model_layer(tmp_path: Path) -> None:
    without = _probe(tmp_path / "none", "none")
    # The control: the same probe does see the layer once a model is named.
    with_model = _probe(tmp_path / "model", "openai:x")

    assert without == {"llm": False, "mapper": "DeterministicMapper", "loaded": []}
    assert with_model["llm"] is True and with_model["mapper"] == "ModelMapper"
    assert "langchain_core" in with_model["loaded"]


# ------------------------------------------------------------------ with a model


def test_a_named_model_wraps_mapper_phraser_and_answerer(
    tmp_path: Path, factory: _Factory, chat: ScriptedChatModel, base_answerer: CannedAnswerer
) -> None:
    settings = _settings(tmp_path, llm_model="openai:x", llm_base_url=LOCAL)

    assembly = _assemble(settings, index=True)

    mapper = assembly.service.manager._mapper
    phraser = assembly.service.renderer._phraser
    assert isinstance(mapper, ModelMapper) and type(mapper._fallback) is DeterministicMapper
    assert isinstance(phraser, ModelPhraser) and type(phraser._fallback) is IndicatorQuestion
    assert isinstance(assembly.answerer, GroundedAnswerer)
    assert assembly.answerer._base is base_answerer
    assert assembly.service.answerer is assembly.answerer
    assert chat.structured == [(MappedAnswer, "json_schema")]
    # One metrics object for the three uses, so /metrics-style counts add up.
    assert mapper.metrics is phraser.metrics is assembly.answerer.metrics


def test_without_an_index_the_model_layer_wraps_no_answerer(
    tmp_path: Path, factory: _Factory
) -> None:
    assembly = _assemble(_settings(tmp_path, llm_model="openai:x", llm_base_url=LOCAL))

    assert isinstance(assembly.service.manager._mapper, ModelMapper)
    assert assembly.answerer is None and assembly.service.answerer is None


def test_the_llm_settings_reach_the_model_config(tmp_path: Path, factory: _Factory) -> None:
    settings = _settings(
        tmp_path,
        llm_model="deepseek:deepseek-chat",
        llm_base_url="http://10.0.0.5:8000/v1",
        llm_api_key="sk-secret",
        llm_timeout=7.5,
    )

    _assemble(settings)

    main, phrasing = factory.configs
    assert main.spec == "deepseek:deepseek-chat"
    assert main.base_url == "http://10.0.0.5:8000/v1"
    assert main.api_key is not None and main.api_key.get_secret_value() == "sk-secret"
    assert main.timeout_s == 7.5
    assert phrasing.max_tokens < main.max_tokens  # the phrasing model gets a smaller budget
    assert phrasing.model_copy(update={"max_tokens": main.max_tokens}) == main


def test_the_wired_service_reads_and_phrases_through_the_model(
    tmp_path: Path, factory: _Factory, chat: ScriptedChatModel, base_answerer: CannedAnswerer
) -> None:
    # Every phrasing is refused by the check (a rating claim): the catalog's question is kept.
    chat.repeat = "是否已达到五星？"
    assembly = _assemble(_settings(tmp_path, llm_model="openai:x", llm_base_url=LOCAL), index=True)
    driver = Driver.start(assembly.service)
    driver.fill_profile(target_stars=("quick", "stars:1"))
    while driver.kind is not QuestionKind.INDICATOR:
        driver.send(answers=dict.fromkeys(driver.ids, FindingStatus.MET))
    indicator = assembly.service.catalog.indicator(driver.ids[0])
    assert indicator.question in driver.reply.text
    phrasings = len(chat.calls)
    assert phrasings > 0

    chat.enqueue(mapped_json("largely_met", 0.95))  # the rules read "partly"
    read = driver.send("这个嘛，我们做了一些")

    assert read.question is not None and read.question.kind is QuestionKind.CONFIRM
    proposal = read.proposed_findings[0]
    assert (proposal.indicator_id, proposal.status.value) == (indicator.id, "largely_met")
    assert not proposal.recorded and proposal.confidence < AUTO_RECORD_THRESHOLD
    assert len(chat.calls) == phrasings + 1

    chat.enqueue(SAMPLE_PROSE)
    asked = driver.send(SAMPLE_QUESTION)
    assert base_answerer.asked == [SAMPLE_QUESTION]
    assert SAMPLE_PROSE in asked.text


# ------------------------------------------------------------------ configuration errors


def _config_error(settings: Settings) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        _assemble(settings)
    return caught.value


def test_an_unknown_provider_fails_at_start_naming_the_choices(tmp_path: Path) -> None:
    error = _config_error(_settings(tmp_path, llm_model="gpt:4o"))

    assert "'gpt'" in str(error) and "SMECMM_LLM_MODEL" in str(error)
    for provider in ("none", "openai", "dashscope", "ollama"):
        assert provider in str(error) and provider in error.message("en")


def test_a_model_without_a_name_fails_naming_the_form(tmp_path: Path) -> None:
    error = _config_error(_settings(tmp_path, llm_model="openai"))

    assert "provider:model" in str(error) and "provider:model" in error.message("en")


@pytest.mark.usefixtures("allow_model_requests")
@pytest.mark.parametrize(
    ("spec", "variable"),
    [("openai:gpt-4o-mini", "OPENAI_API_KEY"), ("dashscope:qwen-plus", "DASHSCOPE_API_KEY")],
)
def test_a_missing_key_fails_naming_both_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str, variable: str
) -> None:
    monkeypatch.delenv(variable, raising=False)

    error = _config_error(_settings(tmp_path, llm_model=spec))

    for text in (str(error), error.message("en")):
        assert "SMECMM_LLM_API_KEY" in text and variable in text


@pytest.mark.usefixtures("allow_model_requests")
def test_a_key_in_the_settings_is_enough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    assembly = _assemble(_settings(tmp_path, llm_model="openai:gpt-4o-mini", llm_api_key="sk-x"))

    assert isinstance(assembly.service.manager._mapper, ModelMapper)


def test_real_models_stay_blocked_in_unit_tests(tmp_path: Path) -> None:
    settings = _settings(tmp_path, llm_model="openai:x", llm_base_url=LOCAL)

    with pytest.raises(ModelRequestsBlocked):
        _assemble(settings)
