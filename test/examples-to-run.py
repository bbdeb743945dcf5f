#! /usr/bin/env python3
# A list of C++ examples to run in order to ensure that they remain buildable and runnable over
# time (ns-3's test.py reads it in-tree). Each tuple: example and its arguments, the condition
# to run it, the condition to run it under valgrind.
cpp_examples = [
    ("edge-llm-feasibility --devices=jetson-nano,raspberry-pi-4 --outputDir=edge-llm-results/feasibility",
     "True", "False"),
    ("pipeline-wifi --microBatchSize=1 --outputDir=edge-llm-results/pipeline-wifi", "True", "False"),
    ("pipeline-wifi --network=p2p --schedule=gpipe --microBatchSize=1 "
     "--outputDir=edge-llm-results/pipeline-p2p", "True", "False"),
    ("collapipe --rounds=2 --outputDir=edge-llm-results/collapipe", "True", "False"),
    ("collapipe --network=ofdma --rounds=2 --schedulers=dssda,even "
     "--outputDir=edge-llm-results/collapipe-ofdma", "True", "False"),
    ("ofdma-cell --outputDir=edge-llm-results/ofdma-cell", "True", "False"),
    ("edge-llm-run contrib/edge-llm/scenarios/collapipe-wifi.json --rounds=1 "
     "--outputDir=edge-llm-results/edge-llm-run", "True", "False"),
]

python_examples = []
