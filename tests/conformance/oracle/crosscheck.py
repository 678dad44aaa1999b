#!/usr/bin/env python3
"""Dev-only, offline cross-check of the run cases against another interpreter.

moto (5.x) bundles LocalStack's ASL interpreter; with `execute_state_machine` it runs executions
in-process. This script runs every case that needs no mocks (no Task states, no Wait states, no
limits cases) through it and prints where the outcomes differ. It is NOT an authority (that
interpreter has gaps of its own); a difference is a prompt to re-read the AWS documentation.
Never run it from `cargo test`.

    python3 tests/conformance/oracle/crosscheck.py [SUBSTRING] [--history]
"""
import glob
import json
import os
import sys
import time

import boto3
from moto import mock_aws

ROOT = os.path.join(os.path.dirname(__file__), "..", "run")


def execute(case):
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        arn = sfn.create_state_machine(
            name=case.get("state_machine_name", "sm"),
            definition=json.dumps(case["definition"]),
            roleArn="arn:aws:iam::123456789012:role/r",
        )["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, name="e1", input=json.dumps(case["input"]))["executionArn"]
        time.sleep(0.2)
        for _ in range(100):
            d = sfn.describe_execution(executionArn=ex)
            if d["status"] != "RUNNING":
                break
            time.sleep(0.1)
        types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
        return d, types


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = args[0] if args else ""
    history = "--history" in sys.argv
    agree, differ = 0, []
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.json"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        case = json.load(open(path))
        text = json.dumps(case["definition"])
        if only not in rel or "mock_config" in case or '"Task"' in text or '"Wait"' in text or rel.startswith("limits"):
            continue
        try:
            d, types = execute(case)
        except Exception as e:  # the other interpreter's own failures
            differ.append((rel, "error", str(e)[:200]))
            continue
        exp = case["expected"]
        try:
            out = json.loads(d["output"]) if d.get("output") else None
        except ValueError:
            out = d["output"]
        same = d["status"] == exp["status"]
        same = same and ("output" not in exp or out == exp["output"])
        same = same and ("error" not in exp or d.get("error") == exp["error"])
        if history and "expected_history_types" in case:
            same = same and types == case["expected_history_types"]
        if same:
            agree += 1
        else:
            differ.append((rel, d["status"], d.get("error"), (d.get("cause") or "")[:200], out))
    for row in differ:
        print(*row, sep="\t")
    print(f"{agree} agree, {len(differ)} differ")


if __name__ == "__main__":
    main()
