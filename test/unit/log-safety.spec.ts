import { describeError } from '../../src/common/logging/describe-error';
import { loggableUrl } from '../../src/common/logging/logger-options';
import { maskPhone } from '../../src/common/privacy/mask-phone';

const PHONE = '13912345678';
const TEXT = '学校门口路面塌陷';

describe('what a log line may hold', () => {
  it.each([
    ['/api/v1/requests', '/api/v1/requests'],
    [`/api/v1/requests?q=${encodeURIComponent(TEXT)}&page=2`, '/api/v1/requests?q&page'],
    [`/api/v1/users?phone=${PHONE}&phone=${PHONE}`, '/api/v1/users?phone'],
    ['/admin/queues?token=eyJhbGciOiJIUzI1NiJ9.e30.x', '/admin/queues?token'],
    ['/api/v1/requests?', '/api/v1/requests'],
  ])('the URL %s is logged as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });

  it('an error keeps its class and blanks what it quotes', () => {
    let parseError: unknown;
    try {
      JSON.parse(`{"title":"${TEXT}","phone":"${PHONE}"`);
    } catch (e) {
      parseError = e;
    }
    const line = describeError(parseError);
    expect(line).toMatch(/^SyntaxError: /);
    expect(line).not.toContain(TEXT);
    expect(line).not.toContain(PHONE);
    expect(describeError(new Error(`cannot text ${PHONE} now`))).toBe('Error: cannot text … now');
    expect(describeError(new Error(`bad title ‘${TEXT}’`))).toBe('Error: bad title "…"');
  });

  it('a database error is its SQLSTATE and identifiers, never its message or parameters', () => {
    const driverError = Object.assign(new Error(`invalid input syntax for type uuid: "${PHONE}"`), {
      code: '22P02',
      severity: 'ERROR',
      table: 'requests',
      column: 'id',
    });
    const queryFailed = Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      driverError,
      query: 'SELECT 1 WHERE title = $1',
      parameters: [TEXT, PHONE],
    });
    expect(describeError(queryFailed)).toBe('QueryFailedError 22P02 (table requests, column id)');
    expect(describeError(driverError)).toBe('Error 22P02 (table requests, column id)');
  });

  it('a stack keeps the frames, not the message line', () => {
    const lines = describeError(new Error(`"${TEXT}"`), true).split('\n');
    expect(lines[0]).toBe('Error: "…"');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => /^\s+at /.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain(TEXT);
  });

  it('something thrown that is not an Error says only what it is', () => {
    expect(describeError(`${TEXT} ${PHONE}`)).toBe('non-error thrown (string)');
  });

  it('a phone is masked to its first three and last four digits', () => {
    expect(maskPhone(PHONE)).toBe('139****5678');
    expect(maskPhone('+86 139-1234-5678')).toBe('861****5678');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBeNull();
  });
});
