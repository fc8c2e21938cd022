"""Resident memory from /proc (Linux): current and peak RSS, and resetting the peak.

ru_maxrss is not used for the children: a child started with fork and exec inherits its
parent's high-water mark, so after a large page it reports the parent's peak, not its own.
VmHWM in /proc/<pid>/status belongs to the process's own address space and starts afresh.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from pathlib import Path


def status_kib(field: str, pid: int | str = "self") -> int:
    """A VmXXX field of /proc/<pid>/status in KiB (0 when unavailable, e.g. not Linux)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def peak_reset() -> int:
    """Free what can be freed, reset this process's peak RSS to its current RSS; return it (KiB)."""
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        ctypes.CDLL(libc_name).malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return 0
    return status_kib("VmRSS")


def peak_kib(pid: int | str = "self") -> int:
    """The process's peak RSS since it started or since peak_reset (KiB)."""
    return status_kib("VmHWM", pid)
