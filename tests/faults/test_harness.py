"""What a killed run left running is stopped by the next run, and only that: a run going on
beside it keeps its processes."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests.faults import harness


@pytest.fixture
def pids_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "PIDS", tmp_path)
    return tmp_path


def group_leader() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "60"], start_new_session=True)


def listing(pids_dir, owner: str, *processes: subprocess.Popen):
    path = pids_dir / owner
    path.write_text("".join(f"{p.pid} {harness._started_at(p.pid)}\n" for p in processes))
    return path


def test_the_processes_of_a_run_that_died_are_killed(pids_dir):
    left = group_leader()
    dead_run = listing(pids_dir, "999999999-1", left)  # no such process: its run is gone

    harness.stop_leftovers()

    assert left.wait(timeout=5) == -9
    assert not dead_run.exists()


def test_a_run_still_going_keeps_its_processes(pids_dir):
    mine = group_leader()
    try:
        owner = f"{os.getpid()}-{harness._started_at(os.getpid())}"
        running = listing(pids_dir, owner, mine)

        harness.stop_leftovers()

        time.sleep(0.2)
        assert mine.poll() is None
        assert running.exists()
    finally:
        mine.kill()
        mine.wait()


def test_a_pid_given_to_a_later_process_is_left_alone(pids_dir):
    later = group_leader()
    try:
        (pids_dir / "999999999-1").write_text(f"{later.pid} 1\n")  # started at another time

        harness.stop_leftovers()

        time.sleep(0.2)
        assert later.poll() is None
    finally:
        later.kill()
        later.wait()
