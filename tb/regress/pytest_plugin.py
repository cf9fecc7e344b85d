"""pytest plugin of the regression (`-p tb.regress.pytest_plugin`).

--regress-collect=FILE  writes every collected node as JSON {node, params} (tb/regress/plan.py).
--regress-progress      prints progress while tests run, also under pytest-xdist (`make regress`):
                        a line per failure as soon as it happens, with its replay command, and every
                        few seconds the tests done of total and the time left.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tb.regress.progress import Progress
from tb.regress.seeds import replay_command


def pytest_addoption(parser):
    group = parser.getgroup("regress")
    group.addoption("--regress-collect", default=None, help="write the collected node ids as JSON here")
    group.addoption("--regress-progress", action="store_true", help="print tests done, failures, time left")


def pytest_collection_finish(session):
    path = session.config.getoption("--regress-collect")
    if path:
        nodes = []
        for item in session.items:
            callspec = getattr(item, "callspec", None)
            params = {k: str(v) for k, v in callspec.params.items()} if callspec else {}
            nodes.append({"node": item.nodeid, "params": params})
        Path(path).write_text(json.dumps(nodes))
    reporter = session.config.pluginmanager.get_plugin("regress-progress")
    if reporter is not None and not hasattr(session.config, "workerinput"):
        reporter.start(len(session.items))


class ProgressReporter:
    """Feeds pytest's test reports (from every xdist worker, on the controller) into a Progress."""

    def __init__(self, config):
        self.config = config
        self.progress: Progress | None = None

    def start(self, total: int) -> None:
        if self.progress is None:
            self.progress = Progress(total, print_fn=self._print)

    def _print(self, line: str) -> None:
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.ensure_newline()
            tr.write_line(line)
        else:
            print(line, flush=True)

    def pytest_xdist_node_collection_finished(self, node, ids):
        self.start(len(ids))

    def pytest_runtest_logreport(self, report):
        if self.progress is None:
            return
        failed = report.failed
        if report.when == "call" or (report.when == "setup" and (failed or report.skipped)):
            # a seeded node carries its replay command (with its --seed: tb/regress/seeds.py)
            replay = dict(report.user_properties).get("replay") or replay_command(report.nodeid)
            crash = getattr(report.longrepr, "reprcrash", None)
            message = (crash.message if crash else str(report.longrepr)).strip().splitlines()[0][:120] \
                if failed else ""
            self.progress.done(report.nodeid, not failed, report.duration, replay, message)
        self.progress.maybe_status(time.monotonic())


def pytest_configure(config):
    if config.getoption("--regress-progress", default=False) and not hasattr(config, "workerinput"):
        config.pluginmanager.register(ProgressReporter(config), "regress-progress")
