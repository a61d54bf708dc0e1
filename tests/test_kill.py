"""Kill tjm at random moments: the store and the output folder hold whole files or nothing."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tjm.store import atomic, profiles

from .strategies import ROLES

KILLS = 50  # per command and signal, counting only kills that found the process alive
PARALLEL = 6


def _temps(folder):
    return sorted(p.name for p in folder.iterdir() if atomic.TEMP_NAME.match(p.name))


def _owns_temp(proc, folder):
    return any(f".tjm-{proc.pid}-" in name for name in os.listdir(folder))


def _wait_for_temp(proc, folder):
    """Poll until the process has a temp file in folder, or has ended."""
    while proc.poll() is None and not _owns_temp(proc, folder):
        pass


def _start(args):
    return subprocess.Popen(
        [sys.executable, "-m", "tjm", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _duration(args):
    start = time.monotonic()
    assert _start(args).wait(timeout=120) == 0
    return time.monotonic() - start


def _kill_rounds(args_for, sig, check, seed, folder, earliest):
    """Start PARALLEL runs at a time and kill each at a random moment until KILLS kills hit a
    live process; call check() after every round. Return (kills, kills while the process had
    a temp file, temp files found after the rounds, rounds).

    The moments are drawn from `earliest` (a share of the run) to its end: the start of a run
    is imports, where a kill tests nothing.
    """
    rng = random.Random(seed)
    span = _duration(args_for(0, 0)) * PARALLEL / max(1, (os.cpu_count() or 1))
    kills = writing = stale = rounds = 0
    while kills < KILLS:
        procs = [_start(args_for(rounds, j)) for j in range(PARALLEL)]
        start = time.monotonic()
        for delay, proc in sorted(
            ((rng.uniform(earliest * span, span), p) for p in procs), key=lambda pair: pair[0]
        ):
            time.sleep(max(0.0, start + delay - time.monotonic()))
            if rng.random() < 0.5:
                _wait_for_temp(proc, folder)  # half the kills aim at the write itself
            if proc.poll() is None:
                writing += _owns_temp(proc, folder)
                proc.send_signal(sig)
                kills += 1
        codes = [proc.wait(timeout=120) for proc in procs]
        # Finished, killed outright, or (SIGTERM) exited through the handler's SystemExit.
        assert set(codes) <= {0, -sig, 128 + sig}, codes
        check(sig)
        stale += len(_temps(folder))
        rounds += 1
    return kills, writing, stale, rounds


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_profile_saves(tjm_home, sig):
    """Killed saves leave only whole, valid profiles; SIGTERM leaves no temp; the next save
    removes SIGKILL's."""
    store = tjm_home / "profiles"

    def args_for(round_, j):
        return [
            "profile",
            "save",
            f"k{j % 2}",
            "--role",
            ROLES[(round_ + j) % 3],
            "--years",
            str(round_ % 40),
            "--notes",
            "n" * 2000,
            "--force",
        ]

    def check(sig):
        for path in store.glob("*.toml"):
            loaded = profiles.load(path.stem).profile
            assert loaded.inputs.role in ROLES
            assert loaded.notes == "n" * 2000
        others = {p.name for p in store.iterdir()} - {"k0.toml", "k1.toml"} - set(_temps(store))
        assert not others
        if sig == signal.SIGTERM:
            assert _temps(store) == []

    kills, writing, stale, rounds = _kill_rounds(args_for, sig, check, sig, store, earliest=0.5)
    assert (
        _start(["profile", "save", "after", "--role", "ai-engineer", "--years", "3"]).wait(
            timeout=120
        )
        == 0
    )
    assert _temps(store) == []
    print(
        f"\nprofile save, {signal.Signals(sig).name}: {kills} kills in {rounds} rounds, "
        f"{writing} while it had a temp file; "
        f"{stale} temp files found after the rounds, 0 after the next save"
    )


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_batches(tmp_path, sig):
    """Killed batches leave only whole outputs (byte-equal to a clean run) or none; SIGTERM
    leaves no temp; the next batch into the folder removes SIGKILL's."""
    out = tmp_path / "out"
    out.mkdir()
    rosters, expected = {}, {}
    rng = random.Random(1)
    for size in (2_000, 100_000):
        roster = tmp_path / f"r{size}.csv"
        roster.write_text(
            "name,role,years,region,rate\n"
            + "".join(
                f"p{i},{rng.choice(ROLES)},{rng.uniform(0, 30):.1f},idf,{rng.randint(300, 900)}\n"
                for i in range(size)
            )
        )
        reference = tmp_path / f"ref{size}.csv"
        assert _start(["batch", str(roster), "-o", str(reference)]).wait(timeout=120) == 0
        rosters[size], expected[size] = roster, reference.read_bytes()

    def size_of(round_):
        return 100_000 if round_ % 5 == 4 else 2_000  # mostly small, some big

    def args_for(round_, j):
        size = size_of(round_)
        return ["batch", str(rosters[size]), "-o", str(out / f"o{size}-{j}.csv"), "--force"]

    def check(sig):
        for path in out.iterdir():
            if atomic.TEMP_NAME.match(path.name):
                assert sig == signal.SIGKILL, path
                continue
            size = int(path.name[1:].split("-")[0])
            assert path.read_bytes() == expected[size], path

    kills, writing, stale, rounds = _kill_rounds(args_for, sig, check, sig + 100, out, earliest=0.2)
    assert writing > 0  # some kills must land while the output is being written
    assert (
        _start(["batch", str(rosters[2_000]), "-o", str(out / "after.csv")]).wait(timeout=120) == 0
    )
    assert _temps(out) == []
    print(
        f"\nbatch, {signal.Signals(sig).name}: {kills} kills in {rounds} rounds, "
        f"{writing} while it had a temp file; "
        f"{stale} temp files found after the rounds, 0 after the next batch"
    )
