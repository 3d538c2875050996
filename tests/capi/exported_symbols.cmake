# Checks that the shared C library exports exactly the functions declared in
# pip.h (no C++ symbol, no symbol of a library linked into it) and carries
# the expected SONAME. Run with cmake -P; see tests/CMakeLists.txt.
foreach(var LIBRARY HEADER SONAME NM OBJDUMP)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

execute_process(COMMAND ${NM} -D --defined-only --format=posix ${LIBRARY}
  OUTPUT_VARIABLE nm_out RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]+" nm_lines "${nm_out}")
set(exported)
foreach(line IN LISTS nm_lines)
  string(REGEX REPLACE " .*" "" symbol "${line}")
  string(REGEX REPLACE "@.*" "" symbol "${symbol}")
  list(APPEND exported ${symbol})
endforeach()
list(SORT exported)

file(READ ${HEADER} header)
string(REGEX MATCHALL "PIP_EXTERN[^;(]*[ *](pip_[a-z0-9_]+)\\(" declarations
  "${header}")
set(declared)
foreach(declaration IN LISTS declarations)
  string(REGEX REPLACE ".*[ *](pip_[a-z0-9_]+)\\($" "\\1" name "${declaration}")
  list(APPEND declared ${name})
endforeach()
list(SORT declared)

list(LENGTH declared declared_count)
if(declared_count LESS 20)
  message(FATAL_ERROR "found only ${declared_count} declarations in ${HEADER}")
endif()
if(NOT exported STREQUAL declared)
  set(extra ${exported})
  list(REMOVE_ITEM extra ${declared})
  set(missing ${declared})
  list(REMOVE_ITEM missing ${exported})
  message(FATAL_ERROR "exported symbols differ from pip.h\n"
    "exported but not declared: ${extra}\n"
    "declared but not exported: ${missing}")
endif()

execute_process(COMMAND ${OBJDUMP} -p ${LIBRARY} OUTPUT_VARIABLE dump)
if(NOT dump MATCHES "SONAME +${SONAME}\n")
  message(FATAL_ERROR "SONAME of ${LIBRARY} is not ${SONAME}")
endif()
message(STATUS "${declared_count} pip_* functions exported, SONAME ${SONAME}")
