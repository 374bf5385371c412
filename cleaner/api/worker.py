"""The gunicorn worker the service runs: gunicorn's threaded worker (gthread) made safe to face
clients directly. `gunicorn.conf.py` names it (`worker_class`) and installs `install_drain`.

What it adds to `gunicorn.workers.gthread.ThreadWorker`:

- **A read deadline.** From the moment a connection is handed to a thread until the app has
  read the whole request (headers and body), at most `CLEANER_READ_TIMEOUT_S` (10 s) may pass.
  A client that trickles its headers or body, or announces a chunk and never sends it, gets a
  408 problem and the connection is shut at that point, freeing its thread. (gthread alone
  gives a slow client a thread for as long as it keeps sending a byte now and then.)
- **A hard limit per request.** A request still running `timeout` seconds (gunicorn's own
  setting) after it came in is logged (path, request id, seconds; access-log shape, status
  500), answered with a 500 problem, and the worker exits so that the master replaces it. The
  app's own budgets end every document long before; this is the last resort. (A thread cannot
  be killed, and gthread's heartbeat runs in the main thread, so gunicorn's timeout alone would
  never fire.)
- **A drain on SIGTERM** (`install_drain`, in the master): the master tells each worker to
  drain (SIGUSR2): `/readyz` answers 503 `draining` and every answer says `Connection: close`,
  while all requests are still served; after `CLEANER_DRAIN_S` (5 s) the master stops new
  connections from being established (a drop-all socket filter on the listening socket: a new
  client is refused, it is never reset) and stops the workers gracefully; each worker first
  accepts every connection already waiting in the backlog, answers them, and exits.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import signal
import socket
import struct
import threading
import time
import uuid
from datetime import datetime
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from ..errors import PROBLEM_BASE
from . import lifecycle

READ_TIMEOUT_ENV = "CLEANER_READ_TIMEOUT_S"
DRAIN_ENV = "CLEANER_DRAIN_S"
DEFAULT_READ_TIMEOUT_S = 10.0
DEFAULT_DRAIN_S = 5.0
MAX_DRAIN_ENV = "CLEANER_MAX_DRAIN_BYTES"
DRAIN_IDLE_S = 1.0  # after the answer, a client silent this long is not sending a body
_SO_ATTACH_FILTER = 26  # Linux


def env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    value = float(raw)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, not {raw!r}")
    return value


def problem_bytes(status: int, reason: str, slug: str, detail: str, request_id: str | None = None) -> bytes:
    """A whole HTTP/1.1 answer with an RFC 9457 body, for a socket the app never answered."""
    rid = request_id or uuid.uuid4().hex
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": reason, "status": status,
                       "detail": detail, "request_id": rid}).encode("utf-8")
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
            f"X-Request-ID: {rid}\r\n\r\n").encode("latin-1")
    return head + body


def _send_and_shut(sock: socket.socket, payload: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.send(payload, socket.MSG_DONTWAIT)
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in recv()


class CleanerWorker(ThreadWorker):
    """gthread with a read deadline, a hard per-request limit and a drain (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.read_timeout = env_seconds(READ_TIMEOUT_ENV, DEFAULT_READ_TIMEOUT_S)
        max_bytes = int(os.environ.get("CLEANER_MAX_BYTES") or 10 * 1024 * 1024)
        self.max_drain = int(os.environ.get(MAX_DRAIN_ENV) or 4 * max_bytes)
        self._lock = threading.Lock()
        self._reading: dict[TConn, float] = {}
        self._running: dict[TConn, dict[str, Any]] = {}
        self._abort_at: float | None = None

    # --- signals -------------------------------------------------------------------------

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGUSR2, self.handle_drain)
        signal.siginterrupt(signal.SIGUSR2, False)

    def handle_drain(self, sig: int, frame: Any) -> None:
        """SIGUSR2 from the master's drain: not ready, no keep-alive, keep serving."""
        if not lifecycle.DRAINING.is_set():
            lifecycle.DRAINING.set()
            self.max_keepalived = 0  # every answer from now on closes its connection
            self.method_queue.defer(self._log_draining)

    def _log_draining(self) -> None:
        self.log.info("worker %s draining: /readyz answers 503, connections close after each answer",
                      self.pid)

    # --- per request ---------------------------------------------------------------------

    def handle(self, conn: TConn) -> Any:
        now = time.monotonic()
        record: dict[str, Any] = {"start": now, "wall": datetime.now(), "path": None, "request_id": None,
                                  "method": None, "remote": conn.client}
        with self._lock:
            self._reading[conn] = now + self.read_timeout
            self._running[conn] = record
        lifecycle.bind(record, partial(self._stop_reading, conn))
        try:
            return super().handle(conn)
        finally:
            lifecycle.bind(None)
            with self._lock:
                self._reading.pop(conn, None)
                self._running.pop(conn, None)

    def _stop_reading(self, conn: TConn) -> None:
        with self._lock:
            self._reading.pop(conn, None)

    def _keepalive_after(self, conn: TConn, keepalive: bool) -> bool:
        """After the answer, read what is left of the body (up to CLEANER_MAX_DRAIN_BYTES, until
        the read deadline or 1 s of silence), so that a client which sends its whole body before
        it reads (Python's urllib) gets the 413 or other early answer instead of a reset."""
        drained = self._drain_body(conn)
        return bool(keepalive and drained)

    def _drain_body(self, conn: TConn) -> bool:
        mesg = getattr(conn.parser, "mesg", None)
        body = getattr(mesg, "body", None)
        if body is None:
            return True
        if getattr(body, "failed", False):
            return False
        sock = conn.sock
        prior = sock.gettimeout()
        end = time.monotonic() + self.read_timeout
        drained = 0
        try:
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                sock.settimeout(min(DRAIN_IDLE_S, left))
                try:
                    data = body.read(65536)
                except Exception:  # a timeout, a reset, a malformed chunk: the connection closes
                    return False
                if not data:
                    return True
                drained += len(data)
                if drained > self.max_drain:
                    return False
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(prior)

    def murder_pending(self) -> None:
        """Each turn of the main loop (at least once a second): the deadlines."""
        super().murder_pending()
        now = time.monotonic()
        if self._abort_at is not None and now >= self._abort_at:
            os._exit(1)
        with self._lock:
            late = [c for c, d in self._reading.items() if d <= now]
            for c in late:
                del self._reading[c]
            stuck = [(c, r) for c, r in self._running.items()
                     if now - r["start"] > self.cfg.timeout and not r.get("killed")]
        for conn in late:
            self.log.info("read timeout: connection from %s cut after %g s", conn.client, self.read_timeout)
            _send_and_shut(conn.sock, problem_bytes(
                408, "Request Timeout", "read-timeout",
                f"the request was not received within {self.read_timeout:g} s (CLEANER_READ_TIMEOUT_S)"))
        if stuck:
            self._kill(stuck, now)

    def _kill(self, stuck: list[tuple[TConn, dict[str, Any]]], now: float) -> None:
        for conn, record in stuck:
            record["killed"] = True
            seconds = now - record["start"]
            line = {
                "remote": conn.client[0] if isinstance(conn.client, tuple) else str(conn.client),
                "method": record.get("method"), "path": record.get("path"), "query": None, "status": 500,
                "bytes": None, "duration_ms": round(seconds * 1000, 3),
                "request_id": record.get("request_id"),
                "user_agent": None, "killed": True,
            }
            # An access line in the one log format (cleaner.api.gunicorn_log: ISO time, fields).
            message = f"{line['method']} {line['path']} 500 killed"
            self.log.access_log.info(message, extra={"fields": line})
            self.log.error("request %s %s killed after %.1f s (timeout %s s); the worker restarts",
                           record.get("request_id"), record.get("path"), seconds, self.cfg.timeout)
            _send_and_shut(conn.sock, problem_bytes(
                500, "Internal Server Error", "internal",
                f"the request ran past the {self.cfg.timeout} s hard limit and was stopped; quote request "
                f"id {record.get('request_id')} when reporting it", record.get("request_id")))
        # Let the other requests of this worker finish, briefly; then exit to be replaced.
        self.alive = False
        self._abort_at = now + 2.0

    # --- stopping ------------------------------------------------------------------------

    def set_accept_enabled(self, enabled: bool) -> None:
        if not enabled and not self.alive:
            self._accept_backlog()
        super().set_accept_enabled(enabled)

    def _accept_backlog(self) -> None:
        """Stopping: take every connection already established in the backlog, so none is reset."""
        for listener in self.sockets:
            try:
                listener.setblocking(False)
            except OSError:
                continue
            while True:
                try:
                    client, addr = listener.accept()
                except OSError:
                    break
                self.nr_conns += 1
                client.setblocking(True)
                self.enqueue_req(TConn(self.cfg, client, addr, listener.getsockname()))


def refuse_new_connections(listener: Any) -> bool:
    """Drop every new SYN on this listening socket (Linux socket filter): new clients are refused
    once it closes, while connections already in its backlog stay and can still be accepted."""
    try:
        insn = struct.pack("HBBI", 0x06, 0, 0, 0)  # BPF_RET | BPF_K, 0: keep no bytes, drop
        buf = ctypes.create_string_buffer(insn)
        prog = struct.pack("HL", 1, ctypes.addressof(buf))
        sock = getattr(listener, "sock", listener)
        sock.setsockopt(socket.SOL_SOCKET, _SO_ATTACH_FILTER, prog)
        return True
    except (OSError, AttributeError, struct.error):
        return False


def install_drain(server: Any) -> None:
    """Master side of the drain: SIGTERM drains for CLEANER_DRAIN_S before the graceful stop."""
    drain_s = env_seconds(DRAIN_ENV, DEFAULT_DRAIN_S)
    stop, handle_term = server.stop, server.handle_term
    state = {"term": False}

    def on_term() -> None:
        state["term"] = True
        handle_term()

    def draining_stop(graceful: bool = True) -> None:
        if graceful and state["term"] and drain_s > 0 and server.WORKERS:
            state["term"] = False
            server.log.info("SIGTERM: draining for %g s (/readyz answers 503), then stopping", drain_s)
            server.kill_workers(signal.SIGUSR2)
            end = time.monotonic() + drain_s
            while time.monotonic() < end and server.WORKERS:
                try:
                    sig = server.SIG_QUEUE.get(timeout=0.1)
                except queue.Empty:
                    sig = None
                if sig in (signal.SIGINT, signal.SIGQUIT):
                    server.log.info("quick shutdown requested during the drain")
                    return stop(False)
                server.reap_workers()
            for listener in server.LISTENERS:
                refuse_new_connections(listener)
        return stop(graceful)

    server.handle_term = on_term
    server.stop = draining_stop


__all__ = ["CleanerWorker", "install_drain", "problem_bytes", "refuse_new_connections"]
