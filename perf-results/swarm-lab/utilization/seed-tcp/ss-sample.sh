#!/bin/sh
# samples the seed's TCP connections (ss -tin in its namespace) every 2 s for 60 s during one efficiency run
out=$1
for i in $(seq 1 60); do ns=$(ip netns list | awk '{print $1}' | grep -- '-p0$' | head -1); [ -n "$ns" ] && break; sleep 1; done
echo "namespace $ns" > $out
for i in $(seq 1 40); do
  echo "== $(date +%s.%N)" >> $out
  ip netns exec $ns ss -tin state established '( sport = :6881 )' >> $out 2>/dev/null || break
  sleep 2
done
