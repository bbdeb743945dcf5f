# Runs PROGRAM with ARGS (a ;-list) and passes only if it exits non-zero AND its output matches
# EXPECT: bad input must stop the run with a clear message, not succeed and not crash silently.
execute_process(
  COMMAND ${PROGRAM} ${ARGS}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
)
if(result EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit, got 0; output:\n${output}")
endif()
string(FIND "${output}" "${EXPECT}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "expected the message '${EXPECT}'; exit ${result}; output:\n${output}")
endif()
message(STATUS "exit ${result} with the expected message")
