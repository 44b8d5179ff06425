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

"""Request body validation with JSON schemas.

Messages name the field by its path (``authentication[0].auth_items``)
and say what is wrong, but never repeat the value: it may be a password.
"""

import urllib.parse

import jsonschema

from valence.common import exception

format_checker = jsonschema.FormatChecker(formats=())


@format_checker.checks('http-url')
def _is_http_url(value):
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return parts.scheme in ('http', 'https') and bool(parts.hostname)


def _field_path(path):
    field = ''
    for part in path:
        if isinstance(part, int):
            field += '[%d]' % part
        else:
            field += ('.' if field else '') + str(part)
    return field


def _describe(error):
    """(field, reason) for one jsonschema error."""
    field = _field_path(error.absolute_path)
    validator, expected = error.validator, error.validator_value
    instance = error.instance
    if validator == 'required':
        missing = [p for p in expected if p not in instance]
        return _join(field, missing[0]), 'this field is required'
    if validator == 'additionalProperties':
        known = set(error.schema.get('properties', {}))
        unknown = sorted(p for p in instance if p not in known)
        name = unknown[0] if len(unknown) == 1 else None
        if name:
            return _join(field, name), 'unknown field'
        return field or 'body', 'unknown fields %s' % ', '.join(unknown)
    if validator == 'type':
        kinds = expected if isinstance(expected, list) else [expected]
        kinds = [{'object': 'an object', 'array': 'a list',
                  'integer': 'an integer'}.get(k, 'a ' + k) for k in kinds]
        return field, 'must be %s' % ' or '.join(kinds)
    if validator == 'maxLength':
        return field, 'must be at most %d characters long' % expected
    if validator == 'minLength':
        return field, 'must not be empty' if expected == 1 else (
            'must be at least %d characters long' % expected)
    if validator == 'minItems':
        return field, 'must have at least %d item(s)' % expected
    if validator == 'maxItems':
        return field, 'must have at most %d item(s)' % expected
    if validator == 'minProperties':
        return field or 'body', 'must set at least one field'
    if validator == 'minimum':
        return field, 'must be at least %s' % expected
    if validator == 'maximum':
        return field, 'must be at most %s' % expected
    if validator == 'enum':
        return field, 'must be one of: %s' % ', '.join(
            str(v) for v in expected)
    if validator == 'format' and expected == 'http-url':
        return field, 'must be an http:// or https:// URL with a host'
    if validator == 'pattern':
        return field, 'must match %s' % expected
    return field, 'is not valid (%s)' % validator


def _join(field, name):
    return '%s.%s' % (field, name) if field else name


def validate(schema, body):
    """Check ``body`` against ``schema``; 400 naming the first bad field."""
    if body is None:
        raise exception.Invalid(reason='the request body must be a JSON '
                                       'object.')
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=format_checker)
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(e.absolute_path), list(
                        map(str, e.absolute_path))))
    if errors:
        field, reason = _describe(errors[0])
        raise exception.InvalidParameterValue(field=field or 'body',
                                              reason=reason)
    return body
