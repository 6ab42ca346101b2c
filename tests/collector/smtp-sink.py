"""A local SMTP sink for the collector's tests: accepts every message on
127.0.0.1 (a free port, printed as "port N" once listening) and writes each
one to FOLDER as NNNN.eml, with its envelope recipients in NNNN.rcpt.
--delay SECONDS holds every message that long before accepting it, so that a
test can kill a sender in the middle of a run. Stops on SIGTERM or when its
standard input closes."""

import argparse
import asyncio
import os
import signal
import sys
import threading

from aiosmtpd.smtp import SMTP


class FolderHandler:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.folder, "%04d" % number)
        with open(base + ".tmp", "wb") as out:
            out.write(envelope.original_content or envelope.content)
        with open(base + ".rcpt", "w") as out:
            out.write("\n".join(envelope.rcpt_tos))
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--delay", type=float, default=0)
    options = parser.parse_args()
    handler = FolderHandler(options.folder, options.delay)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler), host="127.0.0.1", port=0)
    )
    print("port %d" % server.sockets[0].getsockname()[1], flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.read(1) or loop.stop())
    loop.run_forever()
    server.close()

if __name__ == "__main__":
    main()
