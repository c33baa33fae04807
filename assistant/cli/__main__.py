"""``python -m assistant.cli``: the ``smecmm`` command without its installed script (what the
topology test runs under ``sys.executable``)."""

from assistant.cli.main import app

app(prog_name="smecmm")
