"""Reads the .eml files a folder holds (written by smtp-sink.py) with
Python's email package and prints, as JSON, what the collector's tests check
of each: recipients, headers, the MIME structure and the decoded bodies."""

import email
import email.policy
import json
import os
import sys


def describe(folder):
    messages = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".eml"):
            continue
        base = os.path.join(folder, name[:-4])
        with open(base + ".eml", "rb") as source:
            message = email.message_from_binary_file(source, policy=email.policy.default)
        with open(base + ".rcpt") as source:
            recipients = source.read().split("\n")
        parts = []
        if message.is_multipart():
            for part in message.iter_parts():
                parts.append(
                    {"type": part.get_content_type(), "body": part.get_content()}
                )
        messages.append(
            {
                "file": name,
                "recipients": recipients,
                "to": str(message["To"]),
                "from": str(message["From"]),
                "subject": str(message["Subject"]),
                "type": message.get_content_type(),
                "list_unsubscribe": str(message["List-Unsubscribe"] or ""),
                "list_unsubscribe_post": str(message["List-Unsubscribe-Post"] or ""),
                "defects": [str(defect) for defect in message.defects],
                "parts": parts,
            }
        )
    return messages


if __name__ == "__main__":
    json.dump(describe(sys.argv[1]), sys.stdout)
