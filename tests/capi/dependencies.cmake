# What libpip_c.so depends on and what it shows: run with cmake -P; see
# tests/CMakeLists.txt. It needs (DT_NEEDED) only the C and C++ runtimes
# (the loader among them, for thread-local storage),
# OpenSSL's libcrypto, libprotobuf and Abseil's shared libraries; `ldd`
# resolves every library it needs and finds nothing else than those and
# what they need themselves (libz for libprotobuf); and it
# defines no dynamic symbol but pip_*, so none of pip's, Abseil's or
# protobuf's C++ symbols can be bound by another library of the process.
#
# Abseil and protobuf are linked as shared libraries, not into libpip_c.so:
# Debian 12's libprotobuf.a and libabsl_*.a are not built to be position
# independent, so linking them into a shared object fails
# (docs/api-stability.md, "Known limitation" gives the linker's
# message).
foreach(var LIBRARY LDD NM OBJDUMP)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

# Direct dependencies.
execute_process(COMMAND ${OBJDUMP} -p ${LIBRARY} OUTPUT_VARIABLE dump
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} -p ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "NEEDED +[^\n]+" needed_lines "${dump}")
set(needed)
foreach(line IN LISTS needed_lines)
  string(REGEX REPLACE "NEEDED +" "" name "${line}")
  list(APPEND needed ${name})
endforeach()
set(allowed_needed
  "^lib(c|m|stdc\\+\\+|gcc_s)\\.so\\.[0-9]+$"
  "^ld-linux[-a-z0-9_.]*\\.so\\.[0-9]+$"
  "^libcrypto\\.so\\.[0-9]+$"
  "^libprotobuf\\.so\\.[0-9]+$"
  "^libabsl_[a-z0-9_]+\\.so\\.[0-9]+$")
# A sanitizer build (SANITIZED) also needs the sanitizers' runtimes.
if(SANITIZED)
  list(APPEND allowed_needed "^lib(asan|ubsan|tsan)\\.so\\.[0-9]+$")
endif()
set(has_protobuf FALSE)
set(has_crypto FALSE)
foreach(name IN LISTS needed)
  set(ok FALSE)
  foreach(pattern IN LISTS allowed_needed)
    if(name MATCHES "${pattern}")
      set(ok TRUE)
    endif()
  endforeach()
  if(NOT ok)
    message(FATAL_ERROR "${LIBRARY} needs ${name}, which it should not")
  endif()
  if(name MATCHES "^libprotobuf")
    set(has_protobuf TRUE)
  elseif(name MATCHES "^libcrypto")
    set(has_crypto TRUE)
  endif()
endforeach()
if(NOT has_protobuf OR NOT has_crypto)
  message(FATAL_ERROR "expected libprotobuf and libcrypto among the "
          "libraries ${LIBRARY} needs: ${needed}")
endif()

# Everything ldd loads: the above, what they need, and nothing missing.
execute_process(COMMAND ${LDD} ${LIBRARY} OUTPUT_VARIABLE ldd_out
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${LDD} ${LIBRARY} failed")
endif()
if(ldd_out MATCHES "not found")
  message(FATAL_ERROR "${LIBRARY} needs a library that is missing:\n${ldd_out}")
endif()
string(REGEX MATCHALL "[^\n]+" ldd_lines "${ldd_out}")
set(loaded_count 0)
foreach(line IN LISTS ldd_lines)
  string(STRIP "${line}" line)
  string(REGEX REPLACE "[ \t].*" "" name "${line}")
  string(REGEX REPLACE ".*/" "" name "${name}")
  if(name MATCHES "^linux-vdso\\.so|^libz\\.so\\.[0-9]+$")
    continue()
  endif()
  set(ok FALSE)
  foreach(pattern IN LISTS allowed_needed)
    if(name MATCHES "${pattern}")
      set(ok TRUE)
    endif()
  endforeach()
  if(NOT ok)
    message(FATAL_ERROR "ldd ${LIBRARY} loads ${name}, which it should not:\n"
            "${ldd_out}")
  endif()
  math(EXPR loaded_count "${loaded_count} + 1")
endforeach()
if(loaded_count LESS 5)
  message(FATAL_ERROR "ldd listed only ${loaded_count} libraries:\n${ldd_out}")
endif()

# Dynamic symbols it defines: pip_* only.
execute_process(COMMAND ${NM} -D --defined-only --format=posix ${LIBRARY}
  OUTPUT_VARIABLE nm_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "[^\n]+" nm_lines "${nm_out}")
set(exported_count 0)
foreach(line IN LISTS nm_lines)
  string(REGEX REPLACE " .*" "" symbol "${line}")
  string(REGEX REPLACE "@.*" "" symbol "${symbol}")
  if(NOT symbol MATCHES "^pip_[a-z0-9_]+$")
    message(FATAL_ERROR "${LIBRARY} exports ${symbol}")
  endif()
  math(EXPR exported_count "${exported_count} + 1")
endforeach()
if(exported_count LESS 20)
  message(FATAL_ERROR "${LIBRARY} exports only ${exported_count} symbols")
endif()
list(LENGTH needed needed_count)
message(STATUS "${needed_count} libraries needed, ${exported_count} pip_* "
        "symbols exported, nothing else")
