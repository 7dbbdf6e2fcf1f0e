"""Shared plumbing for the client drivers: JSON events, child processes, torrent metadata, loopback HTTP.

Standard library only, except torrent_meta(), which reads the .torrent with libtorrent.
"""
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


class DriverError(Exception):
    """A failure the driver reports as {"event":"error"} before stopping."""


class Output:
    """Whether stdout still has a reader; once it has none, the driver stops its client and exits."""
    broken = False


def emit(event, **fields):
    """Print one JSON event line on stdout and flush it; a vanished reader sets Output.broken instead."""
    if Output.broken:
        return
    record = {"event": event}
    record.update(fields)
    try:
        sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        Output.broken = True
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass


def free_port():
    """A TCP port on 127.0.0.1 the kernel had free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torrent_meta(path):
    """v1 info-hash (hex), total size, name and (relative path, size) of every file of a .torrent."""
    import libtorrent as lt
    try:
        ti = lt.torrent_info(path)
    except RuntimeError as e:
        raise DriverError("cannot read torrent %s: %s" % (path, e))
    fs = ti.files()
    files = [(fs.file_path(i), fs.file_size(i)) for i in range(fs.num_files())]
    return {
        "infohash": str(ti.info_hashes().v1),
        "bytes": ti.total_size(),
        "name": ti.name(),
        "files": files,
        "ti": ti,
    }


def _die_with_parent():
    # The client gets SIGTERM if this driver dies (even by SIGKILL), so no client outlives its driver.
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def spawn(argv, log_path, env=None, cwd=None):
    """Start a client process with stdout+stderr to log_path; it is signalled if this process dies."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent, env=env, cwd=cwd, close_fds=True)
    except OSError as e:
        raise DriverError("cannot start %s: %s" % (argv[0], e))
    finally:
        log.close()


def stop_process(proc, grace_seconds=10.0, signum=signal.SIGTERM):
    """Signal the process we started (by its PID), SIGKILL after the grace period; returns its exit code."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signum)
        except ProcessLookupError:
            pass
        try:
            proc.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode


def check_alive(proc, name, log_path):
    """Raise DriverError with the log tail if the client process has exited."""
    code = proc.poll()
    if code is not None:
        raise DriverError("%s exited with code %s: %s" % (name, code, log_tail(log_path)))


def log_tail(path, limit=600):
    """The last characters of a log file, on one line."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - limit))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip())


def log_head(path, limit=65536):
    """The first characters of a log file ("" if it does not exist yet)."""
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def port_free(port, address="127.0.0.1"):
    """True if address:port can be bound for listening now (SO_REUSEADDR, as the clients do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
            s.listen(1)
            return True
        except OSError:
            return False


def http(url, data=None, headers=None, timeout=5.0):
    """One HTTP request on loopback; returns (status, body bytes). No proxy is ever used."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until(predicate, timeout_seconds, period=0.1):
    """Call predicate until it returns a true value or the time is up; returns its last value."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(period)


def multipart(fields, files):
    """Encode form fields {name: str} and files {name: (filename, bytes)} as multipart/form-data."""
    boundary = "----spate%x" % int(time.time() * 1e6)
    parts = []
    for name, value in fields.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (boundary, name, value)).encode())
    for name, (filename, content) in files.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: application/x-bittorrent\r\n\r\n" % (boundary, name, filename)).encode())
        parts.append(content + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def create_missing_empty_files(save_dir, files):
    """Create the 0-byte files of a torrent a client left out; returns their relative paths."""
    created = []
    for rel, size in files:
        path = os.path.join(save_dir, rel)
        if size == 0 and not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "wb").close()
            created.append(rel)
    return created
