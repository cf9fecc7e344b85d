"""The README's model example runs as printed (so the front page cannot rot)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_model_example_runs():
    text = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    assert scope["rc"] == 0  # DDI_SUCCESS from ddi_dma_numwin: the bind was partial
    assert scope["nwin"] > 1 and scope["ccount"] <= 4
