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

import re
import urllib.parse

import jsonschema

from valence.common import exception

format_checker = jsonschema.FormatChecker(formats=())


@format_checker.checks('http-url')
def _is_http_url(value):
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    # Credentials in a URL would be shown and logged with it.
    return (parts.scheme in ('http', 'https') and bool(parts.hostname) and
            parts.username is None and parts.password is None)


def _is_integer(checker, instance):
    # JSON Schema counts 4.0 as an integer; Valence does not: where a whole
    # number goes, a number written with a fraction is refused.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        'integer', _is_integer))


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
        return field, ('must be an http:// or https:// URL with a host '
                       'and no user or password in it')
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
    validator = _Validator(schema, format_checker=format_checker)
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(e.absolute_path), list(
                        map(str, e.absolute_path))))
    if errors:
        field, reason = _describe(errors[0])
        raise exception.InvalidParameterValue(field=field or 'body',
                                              reason=reason)
    return body


# A JSON string, escapes included, and the brackets that nest.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb'[\[\]{}]')


def json_depth(body):
    """How deeply arrays and objects nest in the JSON text ``body``.

    Counted on the raw text before it is parsed, so that a hostile body
    cannot exhaust the parser's recursion; brackets inside strings do not
    count.
    """
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b'[', b'{'):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
