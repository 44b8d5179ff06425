# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Credentials: HTTP basic auth and session tokens."""

import base64
import hmac
import secrets
import threading


def basic_credentials(header):
    """``(user, password)`` from an ``Authorization: Basic`` header."""
    if not header or not header.lower().startswith('basic '):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True)
        user, _, password = decoded.decode('utf-8').partition(':')
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


def same(given, expected):
    """Compare secrets in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())


class Sessions:
    """Session tokens of one pod; sessions live as long as the process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_token = {}
        self._by_id = {}
        self._next = 1

    def create(self, user):
        """Open a session for ``user``; return ``(session id, token)``."""
        token = secrets.token_hex(16)
        with self._lock:
            session_id = str(self._next)
            self._next += 1
            self._by_token[token] = session_id
            self._by_id[session_id] = (token, user)
        return session_id, token

    def user_for_token(self, token):
        with self._lock:
            session_id = self._by_token.get(token)
            if session_id is None:
                return None
            return self._by_id[session_id][1]

    def user(self, session_id):
        with self._lock:
            entry = self._by_id.get(session_id)
        return entry and entry[1]

    def ids(self):
        with self._lock:
            return sorted(self._by_id, key=int)

    def delete(self, session_id):
        with self._lock:
            entry = self._by_id.pop(session_id, None)
            if entry is None:
                return False
            del self._by_token[entry[0]]
            return True

    def clear(self):
        with self._lock:
            self._by_token.clear()
            self._by_id.clear()
