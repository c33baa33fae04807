"""Ask a question: answer it exactly from the data when it can be, else retrieve, check the
relevance floor and the learned scope head, and quote the best clauses."""

from __future__ import annotations

from typing import cast

from assistant.knowledge.schema import RuleSet
from assistant.qa.cite import clause_citation
from assistant.qa.exact import ExactAnswerer, shipped_rules
from assistant.qa.extractive import extractive_answer, refusal, stated_answer
from assistant.qa.intent import recognise
from assistant.qa.labels import document_titles, with_labels
from assistant.qa.models import Answer, Language
from assistant.qa.parts import asks, not_covered_name, outside, part_text, question_parts
from assistant.qa.scope import as_partial, lookalike_refusal, scoped
from assistant.qa.scope_gate import strong_in_scope
from assistant.qa.situation import SituationAnswerer
from assistant.qa.small_talk import invitation, nothing_to_look_up
from assistant.retrieval.foreign import rest_without
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.lookalike import LookalikeMatch, asks_question
from assistant.retrieval.relevance import Coverage, CoverageCheck, detect_language
from assistant.retrieval.search import Method
from assistant.textnorm import normalize_user_text

__all__ = ["SPARE_HITS", "QuestionAnswerer"]

SPARE_HITS = 3
# The rest of a refused look-alike is answered only when it stands on its own: measured on the
# tuning and spent sets, shorter rests were follow-ups about the topic ("要准备啥材料").
MIN_REST_CHARS_ZH = 10
MIN_REST_WORDS_EN = 7
_JOIN = "，"


class QuestionAnswerer:
    """``exact`` (on by default) answers the questions the catalog and ``rules`` answer
    exactly before retrieval; ``rules`` defaults to the shipped rating rules."""

    def __init__(
        self,
        index: RetrievalIndex,
        floor: CoverageCheck,
        k: int = 5,
        *,
        exact: bool = True,
        rules: RuleSet | None = None,
    ) -> None:
        self._index = index
        self._floor = floor
        self._k = k
        corpus = index.corpus
        self._exact = (
            ExactAnswerer(corpus.catalog, rules or shipped_rules(), corpus.documents)
            if exact
            else None
        )
        # "我们的计划是口头布置的，一星会卡吗": answered with the scoring guidance, never a verdict.
        self._situation = SituationAnswerer(
            corpus.catalog, rules or shipped_rules(), corpus.documents
        )
        self._titles = document_titles(corpus.documents)
        self._clauses = {c.number: c for d in corpus.documents for c in d.clauses}

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        question = normalize_user_text(question)
        language = cast(Language, detect_language(question))
        # A look-alike question ("评估费用多少") is refused before anything else; one that also
        # asks the standard something gets that part answered and the rest named.
        lookalike = self._floor.lookalike(question)
        if lookalike.statements:
            return self._stated(question, language, lookalike)
        if lookalike.verdict == "refused":
            return self._refused_unless_the_rest_is_in_scope(question, language, lookalike, k)
        answer = self._answer(lookalike.asked(question), language, k)
        if lookalike.verdict == "none":
            return self._by_parts(question, answer, k)
        return scoped(answer, question, lookalike)

    def _refused_unless_the_rest_is_in_scope(
        self, question: str, language: Language, match: LookalikeMatch, k: int | None
    ) -> Answer:
        """A refusal naming the topics, unless the other parts ask a question that stands on its
        own in the standard's vocabulary but not in the table's ``asks`` words ("合作伙伴协议要交
        几份？另外印花税怎么交") and the similarity tests and the head keep it: then that part's
        answer, as a partial one. A short follow-up ("要准备啥材料", "how long does it take")
        asks about the topic, not the standard: the refusal stands."""
        names = match.names(language)
        if self._stands_alone(match.rest):
            answer = self._answer(match.rest, language, k, split=False)
            if answer.covered is True:
                return as_partial(answer, question, names)
        return lookalike_refusal(question, language, names)

    def _stands_alone(self, rest: str) -> bool:
        cjk = sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff")
        long_enough = cjk >= MIN_REST_CHARS_ZH if cjk else len(rest.split()) >= MIN_REST_WORDS_EN
        return (
            long_enough
            and asks_question(rest)
            and self._index.searcher.expansion(rest).groups > 0
            and recognise(rest) is None
        )

    def _stated(self, question: str, language: Language, match: LookalikeMatch) -> Answer:
        """What the standard says next to the topics it does not settle ("评估收费吗": R.2
        leaves fees to the bodies), as a partial answer naming them."""
        said = match.statements
        text = ("" if language == "zh" else " ").join(getattr(s, language) for s in said)
        numbers = dict.fromkeys(n for s in said for n in s.clauses)
        cited = [clause_citation(self._clauses[n], 1.0) for n in numbers if n in self._clauses]
        catalog = self._index.corpus.catalog
        answer = stated_answer(question, text, cited, catalog, language, self._titles)
        return as_partial(answer, question, match.names(language))

    def _by_parts(self, question: str, answer: Answer, k: int | None) -> Answer:
        """``answer`` to the whole ``question``, unless the question has parts and some (not
        all) are confidently out of scope: then the others' answer, naming those parts."""
        if answer.kind == "exact" or answer.covered == "partial":
            return answer
        parts = question_parts(question)
        if len(parts) < 2:  # a question of one part: nothing more is done
            return answer
        texts = [part_text(part) for part in parts]
        searcher = self._index.searcher
        asking = [
            i
            for i, text in enumerate(texts)
            if asks(text) and not strong_in_scope(text, searcher.expansion(text))
        ]
        if not asking:
            return answer
        # Every part in one batch: the in-scope one is then searched without another embedding.
        coverages = searcher.coverages(texts)
        out = {i for i in asking if outside(texts[i], coverages[i], self._floor)}
        if not out or len(out) == len(parts):
            return answer
        rest = _JOIN.join(text for i, text in enumerate(texts) if i not in out)
        covered = self._answer(rest, answer.language, k, split=False)
        if covered.covered is not True:
            return answer
        return as_partial(covered, question, tuple(not_covered_name(parts[i]) for i in sorted(out)))

    def _without_foreign(
        self, question: str, language: Language, k: int | None, foreign: tuple[str, ...]
    ) -> Answer:
        """A refusal, unless the question's other parts name none of its foreign words and are
        answered: then a partial answer naming them ("…and how do Michelin inspectors…")."""
        rest = rest_without(question, foreign)
        answer = self._answer(rest, language, k, split=False) if rest else None
        if answer is None or answer.covered is not True:
            return refusal(question, language)
        return as_partial(answer, question, foreign)

    def _answer(
        self, question: str, language: Language, k: int | None, *, split: bool = True
    ) -> Answer:
        # An exact question is always in scope: it is answered before the relevance floor.
        exact = self._exact.answer(question) if self._exact is not None else None
        if exact is not None:
            return with_labels(exact)
        searcher = self._index.searcher
        # ``ask`` has matched the look-alikes already: only the similarity tests are left
        if not question:
            return refusal(question, language)
        if nothing_to_look_up(question, standard_words=self._standard_words(question)):
            return invitation(question, language)
        coverage = searcher.coverage(question)
        if not self._in_scope(question, coverage):
            if split and coverage.foreign:
                return self._without_foreign(question, language, k, coverage.foreign)
            return refusal(question, language)
        situation = self._situation.answer(question, language, searcher)
        if situation is not None:
            return situation
        wanted = k or self._k
        # A clause hit through its indicator is cited once: a few spare hits keep ``wanted``.
        hits = searcher.search(question, wanted + SPARE_HITS, Method.HYBRID)
        catalog = self._index.corpus.catalog
        return extractive_answer(question, hits, catalog, language, self._titles, limit=wanted)

    def _standard_words(self, question: str) -> bool:
        expansion = self._index.searcher.expansion(question)
        if expansion.groups or strong_in_scope(question, expansion):
            return True
        return self._floor.lookalikes.in_the_standards_words(question)

    def _in_scope(self, question: str, coverage: Coverage) -> bool:
        """The rules first; then the learned head, unless the question names the standard's
        own things (an indicator, a clause, a level and an area, an exact question)."""
        if not self._floor.near_enough(question, coverage):
            return self._floor.rescued(coverage)
        if not self._floor.learned_refusal(coverage):
            return True
        return strong_in_scope(question, self._index.searcher.expansion(question))
