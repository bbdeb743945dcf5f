# Third-party dependencies of edge-llm, shared by the in-tree and standalone builds.
# Header-only libraries are required (Debian: libeigen3-dev, nlohmann-json3-dev, libboost-dev);
# LibTorch is optional and, when used, confined to the LibTorch engine's own files.

find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Boost 1.74 REQUIRED)

option(EDGE_LLM_ENABLE_TORCH "Build the LibTorch compute engine when LibTorch is found" ON)
set(EDGE_LLM_HAVE_TORCH OFF)
if(EDGE_LLM_ENABLE_TORCH)
  get_directory_property(edge_llm_targets_before IMPORTED_TARGETS)
  find_package(Torch QUIET)
  if(Torch_FOUND)
    set(EDGE_LLM_HAVE_TORCH ON)
    # In an ns-3 tree, other folders (scratch/, the test runner) link libedge-llm and so reach
    # LibTorch's imported targets, which find_package made visible in this folder only.
    get_directory_property(edge_llm_targets_after IMPORTED_TARGETS)
    foreach(target ${edge_llm_targets_after})
      if(NOT target IN_LIST edge_llm_targets_before)
        set_target_properties(${target} PROPERTIES IMPORTED_GLOBAL TRUE)
      endif()
    endforeach()
  endif()
endif()
message(STATUS "edge-llm: LibTorch engine ${EDGE_LLM_HAVE_TORCH}")

set(edge_llm_external_libraries Eigen3::Eigen nlohmann_json::nlohmann_json Boost::headers)

# Compile definitions and data paths every edge-llm target needs, in-tree or standalone.
# Where data/ is, compiled into one file only (model/compute/edge-llm-paths.cc), so that every other
# object is the same wherever the sources are and ccache hits across clones. In-tree, ns-3
# compiles the sources in an object library <target>-obj, which also needs the header-only
# third-party libraries.
function(edge_llm_finish_library target)
  set_source_files_properties(
    model/compute/edge-llm-paths.cc
    PROPERTIES COMPILE_DEFINITIONS EDGE_LLM_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}"
  )
  if(TARGET ${target}-obj)
    target_link_libraries(${target}-obj PRIVATE ${edge_llm_external_libraries})
  endif()
endfunction()
