# Runs /code/main.py inside the sandbox as __main__, then saves every open matplotlib
# figure to /out/figure-N.png. Tracebacks show the person's file only.
import sys, traceback

sys.argv = ["main.py"]
source = open("/code/main.py", encoding="utf-8").read()
status = 0
try:
    exec(compile(source, "main.py", "exec"), {"__name__": "__main__"})
except SystemExit as exit:
    status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
except BaseException as error:
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if frame.filename == "main.py"]
    print("Traceback (most recent call last):", file=sys.stderr)
    print("".join(traceback.format_list(own)), end="", file=sys.stderr)
    print("".join(traceback.format_exception_only(type(error), error)), end="", file=sys.stderr)
    status = 1
finally:
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt
        for index, number in enumerate(plt.get_fignums()):
            plt.figure(number).savefig(f"/out/figure-{index + 1}.png", format="png", dpi=100)
    sys.stdout.flush()
    sys.stderr.flush()
sys.exit(status)
