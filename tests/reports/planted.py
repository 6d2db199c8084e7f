"""Documents with planted content: markup in cells (for escaping) and a broken total (for exit codes)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CENTER, HOTLINE

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned';alert(1)\">"
HOSTILE_NAME = "budget-<img src=x onerror=alert(2)>.txt"


def hostile_copy(folder: Path) -> Path:
    """The hotline sample with markup in two cells of line 53 and in its file name."""
    lines = HOTLINE.read_text("utf-8").split("\n")
    assert lines[52].startswith("2010301-行政运行\t50101-工资奖金津补贴"), lines[52]
    lines[52] = (lines[52].replace("2010301-行政运行", f"2010301-行政运行{SCRIPT}", 1)
                 .replace("50101-工资奖金津补贴", f"50101-{IMG}", 1))
    path = folder / HOSTILE_NAME
    path.write_text("\n".join(lines), "utf-8")
    return path


def broken_center(folder: Path, name: str = "center-broken.txt") -> Path:
    """The Beijing center sample with the 合计 of 预算05表 (line 136) raised by 1 万元."""
    lines = CENTER.read_text("utf-8").split("\n")
    cells = lines[135].split("\t")
    assert cells[1:3] == ["合 计", "9,715.698690"], cells
    cells[2] = "9,716.698690"
    lines[135] = "\t".join(cells)
    path = folder / name
    path.write_text("\n".join(lines), "utf-8")
    return path
