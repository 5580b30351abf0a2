"""scenlib: what the scenario generators share (h4_scenarios.py and
netpol_scenarios.py here, ../.gen/h5.py): optional metadata fields, the
JSON and "expected" files of a scenario folder, and the finding every
scenario's retired controller version yields. Standard library only.
"""
import json

# ingress-nginx v1.12.1 (or older) is past its support window in every scenario
RETIRED = "info controller-retired IngressClass -/nginx"


def meta_extras(m, ns=None, labels=None, annotations=None):
    """Adds namespace, labels and annotations to metadata m when given; returns m."""
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    if annotations:
        m["annotations"] = annotations
    return m


def write_json(path, doc):
    """doc as JSON, indented by 2, with a final newline."""
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def write_expected(path, comments, lines):
    """An expected-findings file: '# ' comment lines, then one finding a line."""
    with open(path, "w") as f:
        for c in comments:
            f.write("# %s\n" % c)
        for line in lines:
            f.write(line + "\n")
