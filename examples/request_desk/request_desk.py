#!/usr/bin/env python3
"""request_desk: the desk that receives data-subject requests (開示等請求).

Takes one request, from a JSON file (a pip.v1.RequestValidateRequest in pip's
JSON contract) and/or command-line flags, asks pip whether it is complete
(clause 8 of the privacy policy), and prints in Japanese and English what is
missing, the fee, the respond-by date and the next step.

    request_desk.py sample_request.json
    request_desk.py --type correction --channel phone --received 2026-02-10 \
        --documents identity_document,request_form --identity-verified

Exit status: 0 when pip decided (complete or not), 2 when the request itself
is malformed (an unknown type, a misspelt document, a missing date): the desk
must not act on a request pip could not read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pip_policy

JST = dt.timezone(dt.timedelta(hours=9), "JST")

# What the desk does for each next_step of pip.v1.RequestValidateDecision.
NEXT_STEPS = {
    "FIX_CHANNEL": ("電話またはメールで改めて請求いただくよう案内してください。",
                    "Ask the requester to make the request by phone or email."),
    "COLLECT_DOCUMENTS": ("不足している書類の提出を依頼してください。",
                          "Ask the requester for the missing documents."),
    "COLLECT_FEE": ("手数料のお支払いを依頼してください。",
                    "Ask the requester to pay the fee."),
    "VERIFY_IDENTITY": ("ご本人であることを確認してください。",
                        "Verify the requester's identity."),
    "HUMAN_REVIEW": ("お断りする事由にあたるか、担当者が確認してください。",
                     "A person must decide whether a ground for refusal applies."),
    "RESPOND": ("回答期限までに対応・回答してください。",
                "Handle the request and respond by the deadline."),
}

DOCUMENTS = ("identity_document", "request_form", "power_of_attorney")
REVIEW_FLAGS = ("legally_restricted", "third_party_rights")


def parse_time(text: str) -> dt.datetime | str:
    """A civil date (YYYY-MM-DD, taken as the start of that day in Japan) or
    an RFC 3339 time, passed to pip unchanged."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return dt.datetime(day.year, day.month, day.day, tzinfo=JST)


def id_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_request(args: argparse.Namespace) -> dict:
    request: dict = {}
    if args.request_file:
        with open(args.request_file, encoding="utf-8") as f:
            request = json.load(f)
        if not isinstance(request, dict):
            raise ValueError(f"{args.request_file}: expected a JSON object")
    if args.type:
        request["type"] = args.type
    if args.channel:
        request["channel"] = args.channel
    if args.requester:
        request["requester"] = args.requester
    if args.received:
        request["received_at"] = parse_time(args.received)
    if args.documents is not None:
        # Listed documents were submitted; any other document was not.
        request["documents"] = id_list(args.documents)
    if args.fee_paid is not None:
        request["fee_paid_jpy"] = args.fee_paid
    if args.identity_verified:
        request["identity_verified"] = True
    if args.review is not None:
        request["review"] = id_list(args.review)
    if args.as_of:
        request["as_of"] = parse_time(args.as_of)
    request.setdefault("as_of", dt.datetime.now(dt.timezone.utc))
    return request


def missing_items(decision: dict) -> list[tuple[str, list[dict]]]:
    """What is still missing, each with the reasons behind it: the documents
    of decision["missing"], then identity verification and the fee, which
    the decision reports in fields of their own."""
    reasons = decision["reasons"]
    items = [(doc, [r for r in reasons
                    if r["code"] == "DOCUMENT_MISSING" and r["document"] == doc])
             for doc in decision["missing"]]
    identity = [r for r in reasons if r["code"] == "IDENTITY_NOT_VERIFIED"]
    if identity:
        items.append(("identity_verification", identity))
    if decision["fee_unpaid_jpy"] > 0:
        items.append(("fee", [r for r in reasons if r["code"] == "FEE_UNPAID"]))
    return items


def line(reason: dict) -> str:
    return (f"    {reason['message_ja']}\n"
            f"    {reason['message_en']} ({reason['code']}, 条項/clause {reason['clause']})")


def report(request: dict, decision: dict, out) -> None:
    def p(text: str = "") -> None:
        print(text, file=out)

    p("開示等請求 受付票 / Data-subject request intake")
    p(f"  種類 / type:           {request.get('type', '')}")
    p(f"  受付方法 / channel:     {request.get('channel', '')}")
    p(f"  請求者 / requester:     {request.get('requester') or 'self'}")
    received = request.get("received_at", "")
    if isinstance(received, dt.datetime):
        received = received.isoformat()
    p(f"  受付日時 / received:    {received}")
    complete = decision["valid"]
    p(f"判定 / result: {'受付完了 / COMPLETE' if complete else '不備あり / INCOMPLETE'}")

    if decision["errors"]:
        p("受付の誤り / errors:")
        for r in decision["errors"]:
            p(line(r))
    missing = missing_items(decision)
    if missing:
        p("不足しているもの / missing:")
        for item, reasons in missing:
            p(f"  - {item}")
            for r in reasons:
                p(line(r))
    if decision["needs_review"]:
        p("担当者の確認が必要 / needs a person's review:")
        for r in decision["needs_review"]:
            p(f"  - {r['review_ground']}")
            p(line(r))
    if decision["warnings"]:
        p("注意 / warnings:")
        for r in decision["warnings"]:
            p(line(r))

    fee, paid = decision["fee_due_jpy"], request.get("fee_paid_jpy", 0)
    p(f"手数料 / fee: {fee}円 (受領 {paid}円) / {fee} JPY (paid {paid} JPY)")
    overdue = "期限超過 / OVERDUE" if decision["overdue"] else "期限内 / on time"
    p(f"回答期限 / respond by: {decision['respond_by']} ({overdue})")
    step = decision["next_step"]
    ja, en = NEXT_STEPS.get(step, ("", ""))
    p(f"次の対応 / next step: {step}")
    if ja:
        p(f"    {ja}\n    {en}")
    policy = decision["policy"]
    p(f"方針 / policy: {policy['version']} (sha256 {policy['hash'][:12]})")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Check a data-subject request (clause 8) and say what to do next.")
    parser.add_argument("request_file", nargs="?",
                        help="a pip.v1.RequestValidateRequest as JSON; flags override its fields")
    parser.add_argument("--type", help="request type id: purpose_notification, disclosure, "
                        "correction, suspension, third_party_stop")
    parser.add_argument("--channel", help="how it came: phone, email (others are refused, 8.2)")
    parser.add_argument("--requester", help="self (default), agent or legal_representative")
    parser.add_argument("--received", help="date (YYYY-MM-DD, Japan) or RFC 3339 time of receipt")
    parser.add_argument("--documents", help=f"comma-separated documents received: {', '.join(DOCUMENTS)}")
    parser.add_argument("--fee-paid", type=int, help="fee received, in yen")
    parser.add_argument("--identity-verified", action="store_true",
                        help="the requester's identity has been verified")
    parser.add_argument("--review", help=f"comma-separated refusal grounds that may apply: "
                        f"{', '.join(REVIEW_FLAGS)}")
    parser.add_argument("--as-of", help="decide as of this date or time (default: now)")
    parser.add_argument("--policy", help="a policy file instead of the policy embedded in pip")
    args = parser.parse_args(argv)

    try:
        engine = (pip_policy.Engine.from_file(args.policy) if args.policy
                  else pip_policy.Engine.default())
        request = build_request(args)
        decision = engine.request_validate(request)
    except pip_policy.PipError as e:  # before OSError: a missing policy is both
        print(f"request_desk: {e.code}: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"request_desk: cannot read the request file: {e}", file=sys.stderr)
        return 2
    report(request, decision, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
