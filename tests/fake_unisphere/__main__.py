# Copyright (c) 2026 cinder_powermax developers
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Run the fake Unisphere as an HTTPS server on loopback.

``python -m tests.fake_unisphere serve --port 8443`` prints the URL, the
credentials and the CA bundle path, then serves until interrupted.
"""

import argparse
import sys
import time

from tests.fake_unisphere import app as app_mod
from tests.fake_unisphere import faults
from tests.fake_unisphere import model
from tests.fake_unisphere import server


def parse(argv):
    parser = argparse.ArgumentParser(prog='python -m tests.fake_unisphere')
    commands = parser.add_subparsers(dest='command', required=True)
    serve = commands.add_parser('serve', help='serve over HTTPS')
    serve.add_argument('--port', type=int, default=8443,
                       help='TCP port on 127.0.0.1 (0: any free port)')
    serve.add_argument('--version', default='V10.1.0.2',
                       help='Unisphere release to impersonate')
    serve.add_argument('--user', default='smc')
    serve.add_argument('--password', default='smc-pass')
    serve.add_argument('--request-delay', type=float, default=0.0)
    serve.add_argument('--job-duration', type=float, default=0.0)
    serve.add_argument('--page-size', type=int, default=1000)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    arrays = model.Model(page_size=args.page_size, username=args.user)
    latency = faults.Latency(args.request_delay, args.job_duration)
    app = app_mod.UnisphereApp(arrays, args.version, args.user,
                               args.password, latency=latency)
    fake = server.FakeServer(app, args.port)
    url, ca_path = fake.start()
    print('Fake Unisphere %s serving %s' % (
        args.version, ', '.join(sorted(arrays.arrays))))
    print('URL: %s/univmax/restapi' % url)
    print('Port: %d' % fake.port)
    print('User: %s' % args.user)
    print('Password: %s' % args.password)
    print('CA: %s' % ca_path)
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
