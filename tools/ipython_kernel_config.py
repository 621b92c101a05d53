# Kernel settings for building the book. nox copies this file into the build venv
# as <venv>/etc/ipython/ipython_kernel_config.py, where IPython reads it (IPython
# looks in sys.prefix/etc/ipython), so no IPython folder lives in the repository.
#
# TensorFlow 2.21 writes C++ log lines ("oneDNN custom operations are on", "All
# log messages before absl::InitializeLog()") straight to file descriptor 2 at
# import, whatever TF_CPP_MIN_LOG_LEVEL says. ipykernel would copy them into the
# page as stderr output, which the strict build (stderr_output: warn, -W) rejects.
# Not capturing descriptor-level output keeps them in the build log instead;
# Python-level warnings still reach the page and still fail the build.
c = get_config()  # noqa: F821 (provided by IPython when it loads this file)
c.IPKernelApp.capture_fd_output = False

# The site shows the checkers' hints (they name a diagnosis) under the answer that the
# page has already given; a learner's notebook holds them back until the learner has
# predicted (dnncourse.reveal.predicted). This runs in the build's kernel process.
import os

os.environ["DNNCOURSE_SHOW_HINTS"] = "1"
