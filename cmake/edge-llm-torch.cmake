# The LibTorch engine (only when LibTorch is found): sources, headers, test suites, and the
# libraries linked privately. Only these files include LibTorch headers. The encoder block's
# header model/torch/torch-encoder-block.h includes LibTorch: it is internal (only
# model/torch/*.cc include it) and deliberately not in edge_llm_headers, so it is not installed;
# model/torch/torch-thread-guard.h and model/torch/cpu-affinity-guard.h are internal too.
list(APPEND edge_llm_sources
     model/torch/synthetic-classification-task.cc
     model/torch/torch-compute-engine.cc
     model/torch/torch-training-graph-builder.cc
     model/torch/torch-round-recorder.cc
     model/torch/torch-encoder-block.cc
     model/torch/memory-tracking-allocator.cc
     model/torch/memory-tracking-scope.cc
     model/torch/torch-layer-probe.cc
     model/torch/torch-kernel-bench.cc
     model/torch/torch-thread-guard.cc
     model/torch/cpu-affinity-guard.cc
     model/torch/host-memory-retention-guard.cc
     model/torch/device-calibrator.cc
     model/torch/torch-side-network-trainer.cc
     model/torch/torch-lola-engine.cc
     model/torch/torch-galaxy-split.cc
     model/torch/torch-galaxy-engine.cc
     model/torch/torch-pac-engine.cc
     helper/collapipe-torch-helper.cc
)
list(APPEND edge_llm_headers
     model/torch/synthetic-classification-task.h
     model/torch/torch-compute-engine.h
     model/torch/torch-training-graph-builder.h
     model/torch/torch-round-recorder.h
     model/torch/memory-tracking-allocator.h
     model/torch/memory-tracking-scope.h
     model/torch/host-memory-retention-guard.h
     model/torch/torch-layer-probe.h
     model/torch/torch-kernel-bench.h
     model/torch/device-calibrator.h
     model/torch/torch-side-network-trainer.h
     model/torch/torch-lola-engine.h
     model/torch/torch-galaxy-split.h
     model/torch/torch-galaxy-engine.h
     model/torch/torch-pac-engine.h
     helper/collapipe-torch-helper.h
)
list(APPEND edge_llm_test_sources
     test/torch-engine-test-suite.cc
     test/torch-pipeline-test-suite.cc
     test/collapipe-torch-helper-test-suite.cc
     test/torch-layer-probe-test-suite.cc
     test/device-calibrator-test-suite.cc
     test/torch-side-network-test-suite.cc
     test/torch-lola-test-suite.cc
     test/torch-galaxy-split-test-suite.cc
     test/torch-pac-engine-test-suite.cc
)
list(APPEND edge_llm_external_libraries ${TORCH_LIBRARIES})
