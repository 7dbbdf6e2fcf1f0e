"""Network namespaces for the swarm lab: a hub namespace holding a bridge, one namespace per peer, veth pairs.

Each peer's link is shaped with tbf: its upload is the egress of the peer-side veth, its download the egress of the
hub-side veth (the bridge forwards peer to peer through the hub, so every byte passes both shapers). No netem here
(no kernel module): there is no delay emulation, only rates and a bounded queue per shaper.

Names: namespaces `slab-RUNID-hub` and `slab-RUNID-pI`; veths `slRUNIDhI` (hub side) and `slRUNIDpI` (peer side),
bridge `slRUNIDbr`, all made inside the lab's own namespaces (nothing is added to the root namespace). Addresses:
10.201.0.1/24 on the bridge (the tracker), 10.201.0.(10+I) for peer I. Deleting a namespace deletes its veth ends
and with them the pairs; Lab.teardown() ends what runs in the namespaces (by PID) and deletes every namespace.
"""
import os
import signal
import subprocess
import time

PREFIX = "slab-"
SUBNET = "10.201.0"
HUB_ADDR = SUBNET + ".1"
MAX_PEERS = 200


def run(argv, check=True):
    """Run one ip/tc command; raise with its stderr on failure."""
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(argv), p.stderr.decode(errors="replace").strip()))
    return p.stdout.decode(errors="replace")


def namespaces():
    """Every network namespace name on the machine."""
    out = run(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def tbf(ns, dev, rate_bytes, queue_ms):
    """Shape dev's egress to rate_bytes/s with a token bucket: burst 5 ms of the rate (at least 2 full frames), a queue
    of queue_ms at the rate; packets beyond it are dropped, as at a real bottleneck."""
    burst = max(3100, int(rate_bytes * 0.005))
    run(["tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", "%dbit" % (rate_bytes * 8),
         "burst", str(burst), "latency", "%dms" % queue_ms])


class Lab:
    """The namespaces of one run. Use as a context manager: teardown() runs on exit, also after an exception."""

    def __init__(self, run_id, queue_ms=50, tcp_cc=None):
        self.run_id = run_id
        self.queue_ms = queue_ms
        self.tcp_cc = tcp_cc  # TCP congestion control in every namespace; None: the machine's default (inherited)
        self.hub = "%s%s-hub" % (PREFIX, run_id)
        self.bridge = "sl%sbr" % run_id
        self.made = []  # namespaces created, in order
        self.peers = {}  # index -> (namespace, address)
        self.devs = {}  # index -> (peer-side veth: its upload shaper, hub-side veth: its download shaper)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.teardown()
        return False

    def _netns(self, name):
        run(["ip", "netns", "add", name])
        self.made.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])
        if self.tcp_cc:
            run(["ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=" + self.tcp_cc])

    def setup_hub(self):
        self._netns(self.hub)
        run(["ip", "-n", self.hub, "link", "add", self.bridge, "type", "bridge"])
        run(["ip", "-n", self.hub, "addr", "add", HUB_ADDR + "/24", "dev", self.bridge])
        run(["ip", "-n", self.hub, "link", "set", self.bridge, "up"])

    def add_peer(self, index, up_bytes, down_bytes):
        """A namespace for peer `index` on the bridge; up/down in bytes/s (None: unshaped). Returns its address."""
        if not 0 <= index < MAX_PEERS:
            raise ValueError("peer index %d out of range (at most %d peers)" % (index, MAX_PEERS))
        ns = "%s%s-p%d" % (PREFIX, self.run_id, index)
        hub_dev, peer_dev = "sl%sh%d" % (self.run_id, index), "sl%sp%d" % (self.run_id, index)
        addr = "%s.%d" % (SUBNET, 10 + index)
        self._netns(ns)
        run(["ip", "-n", self.hub, "link", "add", hub_dev, "type", "veth", "peer", "name", peer_dev, "netns", ns])
        run(["ip", "-n", self.hub, "link", "set", hub_dev, "master", self.bridge])
        run(["ip", "-n", self.hub, "link", "set", hub_dev, "up"])
        run(["ip", "-n", ns, "addr", "add", addr + "/24", "dev", peer_dev])
        run(["ip", "-n", ns, "link", "set", peer_dev, "up"])
        if up_bytes:
            tbf(ns, peer_dev, up_bytes, self.queue_ms)
        if down_bytes:
            tbf(self.hub, hub_dev, down_bytes, self.queue_ms)
        self.peers[index] = (ns, addr)
        self.devs[index] = (peer_dev, hub_dev)
        return addr

    def exec_argv(self, ns, argv):
        return ["ip", "netns", "exec", ns] + list(argv)

    def pids_in(self, ns):
        out = run(["ip", "netns", "pids", ns], check=False)
        return [int(x) for x in out.split() if x.isdigit()]

    def teardown(self):
        """End every process left in the lab's namespaces (SIGTERM, SIGKILL after 5 s; by PID: all of them were
        started by this run), then delete the namespaces (their veths and the bridge go with them)."""
        kill_namespace_processes(self.made)
        for ns in reversed(self.made):
            run(["ip", "netns", "del", ns], check=False)
        left = [ns for ns in namespaces() if ns in self.made]
        self.made = left
        if left:
            raise RuntimeError("namespaces left behind: %s" % " ".join(left))


def kill_namespace_processes(names, grace_seconds=5.0):
    """SIGTERM every process inside the given namespaces, SIGKILL whatever is left after the grace period."""
    def pids():
        found = []
        for ns in names:
            out = run(["ip", "netns", "pids", ns], check=False)
            found += [int(x) for x in out.split() if x.isdigit() and int(x) != os.getpid()]
        return found
    first = pids()
    for pid in first:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace_seconds
    while first and time.monotonic() < deadline:
        if not pids():
            return
        time.sleep(0.1)
    for pid in pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def clean(run_id=None):
    """Delete the namespaces of crashed lab runs (all `slab-*`, or one run's), ending what runs in them first."""
    prefix = PREFIX + (run_id + "-" if run_id else "")
    names = [ns for ns in namespaces() if ns.startswith(prefix)]
    kill_namespace_processes(names)
    for ns in names:
        run(["ip", "netns", "del", ns], check=False)
    return names
