# Runs PROGRAM with ARGS (a ;-list) and passes only if it exits with code 1 or 2 AND its output
# matches EXPECT: bad input must stop the run with a clear message, not succeed and not crash.
execute_process(
  COMMAND ${PROGRAM} ${ARGS}
  TIMEOUT 10
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
)
if(result EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit, got 0; output:\n${output}")
endif()
# a refusal, not a crash nor a hang (a timeout reports a text, not a code): exit code 1 (ns-3's CommandLine) or 2 (the programs' refusals), never
# a signal (SIGABRT, a segfault: execute_process then reports a text, not a code)
if(NOT result MATCHES "^[12]$")
  message(FATAL_ERROR "expected exit code 1 or 2, got '${result}'; output:\n${output}")
endif()
# one line for the user, not ns-3's report of where in the source the run stopped
if(output MATCHES "file=[^\n]*, line=[0-9]+")
  message(FATAL_ERROR "expected the message alone, got ns-3's file/line report; output:\n${output}")
endif()
string(FIND "${output}" "${EXPECT}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "expected the message '${EXPECT}'; exit ${result}; output:\n${output}")
endif()
message(STATUS "exit ${result} with the expected message")
