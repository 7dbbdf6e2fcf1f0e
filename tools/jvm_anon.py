#!/usr/bin/env python3
"""Where a running JVM's anonymous resident memory goes, by Native Memory Tracking category: one JSON line out.

    tools/jvm_anon.py PID        # the JVM must run with -XX:NativeMemoryTracking=detail (or summary: less split)

NMT says what each part of the JVM reserved and committed, not what is resident: the heap commits its initial size
at start but only the pages the collector has touched are in memory. So the mappings of /proc/PID/smaps (Anonymous
KiB each) are matched against the reserved regions of `jcmd PID VM.native_memory detail` (heap, class space, code,
GC data, thread stacks, metaspace, CDS): resident anonymous KiB per category. What lies outside every NMT region is
malloc'd memory (glibc's arenas: NMT's malloc figures per category, e.g. Other = direct ByteBuffers, and what NMT
does not see), reported as "malloc+untracked" beside NMT's own malloc total. Output:
  {"pid":..,"rss_anon_kib":..,"resident_kib":{"Java Heap":..,"Thread Stack":..,..,"malloc+untracked":..},
   "committed_kib":{category: committed KiB (NMT summary)},"malloc_kib":{category: malloc KiB (NMT summary)},
   "malloc_peak_kib":{category: the most malloc+arena KiB it ever held, where NMT reports it},"threads":..}
"""
import json
import re
import shutil
import subprocess
import sys

REGION = re.compile(r"^\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved \d+KB for (.+?) from")
MAPPING = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) ")
CATEGORY = re.compile(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)")
MALLOC = re.compile(r"\(malloc=(\d+)KB")
# NMT's own high-water marks (JDK 17.0.x builds that have them): "(malloc=NKB #c) (at peak)" or "(peak=NKB #c)",
# likewise for "(arena=...)": what glibc had to hold at some moment, so what its arenas may keep after the free
PEAK = re.compile(r"\((malloc|arena)=(\d+)KB #\d+\) \((?:(at peak)|peak=(\d+)KB)")


def nmt(pid, scale="detail"):
    jcmd = shutil.which("jcmd") or "jcmd"
    out = subprocess.run([jcmd, str(pid), "VM.native_memory", scale], capture_output=True, text=True,
                         timeout=60).stdout
    if "Native Memory Tracking" not in out:
        raise SystemExit("no NMT output from %s (started with -XX:NativeMemoryTracking=detail?)" % pid)
    return out


def regions(text):
    """[(start, end, category)] of NMT's reserved regions."""
    found = []
    for line in text.splitlines():
        m = REGION.match(line)
        if m:
            found.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return found


def summary(text):
    """({category: committed KiB}, {category: malloc KiB}, {category: peak malloc+arena KiB}) from the summary
    part; the peaks are empty when this JDK's NMT does not report them."""
    committed, malloc, peak = {}, {}, {}
    current = None
    for line in text.splitlines():
        m = CATEGORY.match(line)
        if m:
            current = m.group(1)
            committed[current] = int(m.group(3))
            continue
        if current and line.startswith(" "):
            m = MALLOC.search(line)
            if m:
                malloc[current] = int(m.group(1))
            m = PEAK.search(line)
            if m:
                peak[current] = peak.get(current, 0) + int(m.group(2) if m.group(3) else m.group(4))
        if not line.strip():
            current = None
    return committed, malloc, peak


def anonymous_mappings(pid):
    """[(start, end, anonymous KiB)] from /proc/PID/smaps."""
    out = []
    start = end = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            m = MAPPING.match(line)
            if m:
                start, end = int(m.group(1), 16), int(m.group(2), 16)
            elif line.startswith("Anonymous:"):
                kib = int(line.split()[1])
                if kib:
                    out.append((start, end, kib))
    return out


def rss_anon(pid):
    with open("/proc/%d/status" % pid) as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["RssAnon"].split()[0]), int(fields["Threads"])


def breakdown(pid):
    text = nmt(pid)
    anon, threads = rss_anon(pid)
    nmt_regions = regions(text)
    resident = {}
    for start, end, kib in anonymous_mappings(pid):
        left = kib
        for r_start, r_end, category in nmt_regions:
            overlap = min(end, r_end) - max(start, r_start)
            if overlap > 0:  # a mapping split across two regions: shared out by size (rare; VMAs follow commits)
                share = kib * overlap // (end - start)
                resident[category] = resident.get(category, 0) + share
                left -= share
        if left > 0:
            resident["malloc+untracked"] = resident.get("malloc+untracked", 0) + left
    committed, malloc, peak = summary(text)
    return {"pid": pid, "rss_anon_kib": anon, "threads": threads,
            "resident_kib": dict(sorted(resident.items(), key=lambda kv: -kv[1])),
            "committed_kib": committed, "malloc_kib": malloc, "malloc_total_kib": sum(malloc.values()),
            "malloc_peak_kib": peak}


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        sys.exit(2)
    print(json.dumps(breakdown(int(sys.argv[1]))))
