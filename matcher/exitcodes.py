"""Exit codes of every matcher command, in one place.

0 done; 1 part of the instance admits no valid assignment (INFEASIBLE); 2 bad input (instance,
scenario or command-line), every problem listed; 3 internal error (an answer failed the
independent check; nothing was written).
"""

EXIT_OK, EXIT_INFEASIBLE, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3
