"""Timeout and SIGTERM become exceptions inside the job, and only there."""

from __future__ import annotations

import os
import signal
import time

import pytest

from nightly_report.interrupts import Interrupts, JobTerminated, JobTimeout


def test_the_timeout_interrupts_a_blocking_call() -> None:
    started = time.monotonic()
    with (
        Interrupts().installed() as interrupts,
        pytest.raises(JobTimeout),
        interrupts.job_window(timeout_seconds=0.05),
    ):
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_except_exception_in_the_job_does_not_swallow_the_timeout() -> None:
    with (
        Interrupts().installed() as interrupts,
        pytest.raises(JobTimeout),
        interrupts.job_window(timeout_seconds=0.05),
    ):
        try:
            time.sleep(5)
        except Exception:
            pytest.fail("JobTimeout must not be caught by `except Exception`")


def test_sigterm_interrupts_the_job() -> None:
    with (
        Interrupts().installed() as interrupts,
        pytest.raises(JobTerminated),
        interrupts.job_window(timeout_seconds=10),
    ):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)


def test_sigterm_outside_the_job_is_remembered_and_stops_the_next_job() -> None:
    with Interrupts().installed() as interrupts:
        os.kill(os.getpid(), signal.SIGTERM)
        assert interrupts.terminate_requested
        with pytest.raises(JobTerminated), interrupts.job_window(timeout_seconds=10):
            pytest.fail("the job must not start after SIGTERM")


def test_the_timer_is_disarmed_when_the_job_finishes() -> None:
    with Interrupts().installed() as interrupts:
        with interrupts.job_window(timeout_seconds=0.05):
            pass
        time.sleep(0.1)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_previous_signal_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGALRM)

    with Interrupts().installed():
        assert signal.getsignal(signal.SIGTERM) != before[0]

    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGALRM)) == before
