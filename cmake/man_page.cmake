# Writes the man page leakbisect.1 with help2man: the top-level --help and --version, a COMMANDS
# section with every subcommand's own --help (found in the top-level help's subcommand list, so a
# new command appears without editing this), and the hand-written sections of docs/leakbisect.h2m.
# cmake -DLEAKBISECT=bin -DHELP2MAN=help2man -DINCLUDE=leakbisect.h2m -DOUTPUT=leakbisect.1 -P man_page.cmake
foreach(variable LEAKBISECT HELP2MAN INCLUDE OUTPUT)
  if(NOT ${variable})
    message(FATAL_ERROR "man_page.cmake needs -D${variable}=...")
  endif()
endforeach()

execute_process(COMMAND ${LEAKBISECT} --help OUTPUT_VARIABLE top_help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${LEAKBISECT} --help failed (${status})")
endif()

# CLI11 lists them under "SUBCOMMANDS:" (or "Subcommands:"), one per line: "  name   description".
string(REPLACE "\n" ";" lines "${top_help}")
set(in_list FALSE)
set(commands)
foreach(line IN LISTS lines)
  if(line MATCHES "^[A-Za-z ]*[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:")
    set(in_list TRUE)
  elseif(in_list AND line MATCHES "^  +([a-z][a-z0-9-]*)( |$)")
    list(APPEND commands ${CMAKE_MATCH_1})
  elseif(in_list AND NOT line MATCHES "^ ")
    set(in_list FALSE)
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "found no subcommands in the output of ${LEAKBISECT} --help")
endif()

# Help text as roff lines: backslashes escaped, and every line led by the zero-width "\&" so that
# none starts with a control character ("." or "'"). Ends with a newline.
function(as_roff text out)
  string(REGEX REPLACE "\n+$" "" text "${text}")
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "\n" "\n\\&" text "${text}")
  set(${out} "\\&${text}\n" PARENT_SCOPE)
endfunction()

file(READ ${INCLUDE} sections)
string(APPEND sections "\n[COMMANDS]\n")
foreach(command IN LISTS commands)
  execute_process(COMMAND ${LEAKBISECT} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${LEAKBISECT} ${command} --help failed (${status})")
  endif()
  string(REPLACE "${LEAKBISECT}" "leakbisect" help "${help}") # CLI11 shows the path it was run by
  as_roff("${help}" help)
  string(APPEND sections ".SS ${command}\n.nf\n${help}.fi\n")
endforeach()

get_filename_component(output_dir ${OUTPUT} DIRECTORY)
set(combined ${output_dir}/leakbisect.generated.h2m)
file(WRITE ${combined} "${sections}")
execute_process(COMMAND ${HELP2MAN} --no-info --include=${combined} --output=${OUTPUT} ${LEAKBISECT}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed (${status})")
endif()
