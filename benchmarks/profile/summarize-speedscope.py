#!/usr/bin/env python3
"""Summarizes a dotnet-trace speedscope file (profile dotnet-sampled-thread-time): keeps the samples the runtime marked
CPU_TIME (a thread running managed code, spinning included), drops the rest (blocked or waiting), and prints the top
exclusive frames (nearest managed frame), the top inclusive frames and the exclusive share by module.
Usage: summarize-speedscope.py FILE.speedscope.json [N]"""
import json, sys, re, collections
doc = json.load(open(sys.argv[1]))
frames = [f['name'] for f in doc['shared']['frames']]
excl = collections.Counter(); incl = collections.Counter(); mods = collections.Counter()
running = idle = 0
def module(name):
    m = re.match(r'([^!]+)!', name)
    return m.group(1) if m else name.split('.')[0]
for prof in doc['profiles']:
    if prof.get('type') == 'sampled':
        samples, weights = prof['samples'], prof['weights']
    else:
        # evented: rebuild (stack, duration) pairs from open/close events
        samples, weights, stack, last = [], [], [], None
        for e in prof['events']:
            if last is not None and stack and e['at'] > last:
                samples.append(list(stack)); weights.append(e['at'] - last)
            last = e['at']
            if e['type'] == 'O': stack.append(e['frame'])
            else:
                if stack: stack.pop()
    for st, w in zip(samples, weights):
        names = [frames[i] for i in st]  # root..leaf
        leaf = names[-1] if names else '?'
        # the nearest managed frame to the leaf
        managed = next((n for n in reversed(names) if n not in ('UNMANAGED_CODE_TIME', 'CPU_TIME')), leaf)
        # the sampler marks on-CPU stacks with a CPU_TIME pseudo-frame; everything else was blocked or waiting
        if 'CPU_TIME' not in names:
            idle += w; continue
        running += w
        key = managed + (' [native]' if leaf == 'UNMANAGED_CODE_TIME' else '')
        excl[key] += w
        mods[module(managed)] += w
        for n in set(names):
            if n not in ('UNMANAGED_CODE_TIME', 'CPU_TIME'):
                incl[n] += w
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
print(f'running samples (weight) {running:.0f}, waiting (dropped) {idle:.0f}')
print('\n## top exclusive (nearest managed frame; [native] = in native code under it)')
for k, v in excl.most_common(n): print(f'{100*v/running:5.1f}%  {k[:160]}')
print('\n## top inclusive')
for k, v in incl.most_common(n + 15): print(f'{100*v/running:5.1f}%  {k[:160]}')
print('\n## by module (exclusive)')
for k, v in mods.most_common(15): print(f'{100*v/running:5.1f}%  {k}')
