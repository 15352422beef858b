"""Packs from a folder: the folder is one pack, or holds one pack per subfolder (its slug)."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.pack import FAQ_FILE, KnowledgeError, load_pack
from bot.ports import LoadedPack


def pack_paths(path: str | Path) -> list[Path]:
    """The packs at `path`: the pack itself, or each subfolder holding one (name order)."""
    root = Path(path)
    if (root / FAQ_FILE).is_file():
        return [root]
    inside = sorted(p for p in root.iterdir() if (p / FAQ_FILE).is_file()) if root.is_dir() else []
    return inside or [root]  # not a folder of packs: load_pack says why it is not a pack


class FolderPackSource:
    """The PackSource of a folder on disk, read again on every load (a reload)."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)

    @property
    def location(self) -> str:
        """The folder, as given."""
        return str(self._path)

    def load(self) -> list[LoadedPack]:
        """Every pack in the folder, read afresh: loaded, or refused with why."""
        found: list[LoadedPack] = []
        for pack_path in pack_paths(self._path):
            try:
                pack = load_pack(pack_path)
            except KnowledgeError as exc:
                found.append(LoadedPack(pack_path.name, None, tuple(exc.problems)))
                continue
            found.append(LoadedPack(pack.slug, pack))
        return found
