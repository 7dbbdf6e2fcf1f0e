#!/usr/bin/env python3
"""Per-thread CPU of Spate leechers from async-profiler collapsed stacks (threads,collapsed; 1 ms samples), grouped
by what the receive path does (socket read, copies, SHA-1, pwrite, epoll), medians per variant. Files are taken in
order of modification time and labelled round-robin, as tools/spate-pair-cpu.sh runs LEECH_JARS in turn.

    LEECH_JAVA_OPTS="-agentpath:libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=/tmp/ap/ab-%p.collapsed" \
        LEECH_JARS="a.jar b.jar" tools/spate-pair-cpu.sh 1024 3
    /usr/bin/python3 tools/profile-threads.py '/tmp/ap/ab-*.collapsed' a,b
"""
import collections
import re
import sys
# collapsed stacks with threads: "[thread name tid=..];frame;frame N"
def load(p):
    rows=[]
    for line in open(p):
        line=line.rstrip()
        if not line: continue
        stack,n=line.rsplit(' ',1)
        rows.append((stack.split(';'),int(n)))
    return rows
def thread_of(fr):
    t=fr[0]
    t=re.sub(r' tid=\d+','',t).strip('[]')
    t=re.sub(r'-\d+$','-N',t)
    if 'C2 Compiler' in t or 'C1 Compiler' in t: return 'JIT '+t.split()[0]
    return t
cats=[('copy: putBytes/copyMemory (agent->slot, compaction, parking)', lambda s: any('copyMemory' in f or 'putBytes' in f for f in s) and not any('SHA' in f or 'Digest' in f for f in s)),
      ('SHA-1 (incl. its copies)', lambda s: any('SHA' in f or 'DigestBase' in f or 'MessageDigest' in f for f in s)),
      ('pwrite', lambda s: any('pwrite' in f or 'FileDispatcherImpl.write' in f for f in s)),
      ('socket read', lambda s: any('SocketDispatcher.read' in f or 'readv' in f or 'IOUtil.read' in f for f in s)),
      ('epoll/select', lambda s: any('EPoll' in f or 'epoll' in f for f in s)),
     ]

import os, glob, statistics
files=sorted(glob.glob(sys.argv[1]), key=os.path.getmtime)
labels=sys.argv[2].split(',')
res=collections.defaultdict(lambda: collections.defaultdict(list))
for i,f in enumerate(files):
    lab=labels[i%len(labels)]
    rows=load(f)
    c=collections.Counter()
    for s,n in rows:
        t=thread_of(s); c['total']+=n; c[t]+=n
        if t in ('spate-network-N','spate-verify-N'):
            for name,fn in cats:
                if fn(s): c[t+' / '+name.split(' ')[0].rstrip(':')]+=n; break
            else: c[t+' / other']+=n
        if any('arraycopy' in x or 'copyMemory' in x for x in s) and t.startswith('spate-'):
            c['copies (arraycopy/copyMemory stubs, spate threads)']+=n
    keys=set(c)|set(res[lab])
    for k in keys: res[lab][k].append(c.get(k,0))
allkeys=sorted(set().union(*[set(v) for v in res.values()]), key=lambda k:(-statistics.median(res[labels[0]].get(k,[0])),k))
print('| samples of 1 ms (median of %s runs) | %s |' % ('/'.join(str(len(res[l]['total'])) for l in labels), ' | '.join(labels)))
print('|---|'+'---|'*len(labels))
for k in allkeys:
    vals=[statistics.median(res[l][k]) if res[l].get(k) else 0 for l in labels]
    if max(vals)<20: continue
    print('| %s | %s |' % (k, ' | '.join('%.0f'%v for v in vals)))
