import subprocess,time,json,statistics,os,sys
variants={'launcher':{}, 'g1-512m':{'SPATE_JAVA_OPTS':'-XX:+UseG1GC -Xms64m -Xmx512m'}}
res={k:[] for k in variants}
for r in range(6):
    for name,env in variants.items():
        e=dict(os.environ,**env)
        t0=time.monotonic()
        p=subprocess.Popen(['/work/main/tools/spate','seed','/tmp/memchk/d.torrent','--dir','/tmp/memchk','--port','0','--no-tracker','--json'],stdout=subprocess.PIPE,env=e,text=True)
        for line in p.stdout:
            if '"started"' in line:
                res[name].append(time.monotonic()-t0); break
        p.terminate(); p.wait()
for k,v in res.items(): print(k, [round(x,2) for x in v], 'median', round(statistics.median(v),3))
print(open('/proc/loadavg').read())
