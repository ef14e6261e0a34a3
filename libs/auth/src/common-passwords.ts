/**
 * A small bundled list of passwords that are long enough for the length rule
 * but appear near the top of public breach-corpus frequency lists (and a few
 * local variants). Compared case-insensitively. Kept short on purpose: it
 * stops the obvious choices; it is not a strength estimator.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011',
  '111111111111', '000000000000', '123123123123', '121212121212', '987654321098',
  '1q2w3e4r5t6y', '1qaz2wsx3edc', 'qwertyuiopas', 'qwertyuiop123', 'qwerty123456',
  'qwertyqwerty', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345', 'qazwsxedcrfv',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1!23',
  'p@ssw0rd1234', 'p@ssword1234', 'passw0rd1234', 'mypassword123', 'newpassword123',
  'changeme1234', 'changemenow1', 'letmein12345', 'welcome12345', 'welcome@1234',
  'welcome123456', 'iloveyou1234', 'iloveyou12345', 'sunshine1234', 'princess1234',
  'football1234', 'baseball1234', 'superman1234', 'batman123456', 'trustno11234',
  'administrator', 'administrator1', 'admin1234567', 'admin@123456', 'adminadmin12',
  'abcdefghijkl', 'abcd12345678', 'abc123456789', 'abcdef123456', 'aaaaaaaaaaaa',
  'india1234567', 'india@123456', 'bharat123456', 'mumbai123456', 'hospital1234',
  'hospital@123', 'clinic123456', 'doctor123456', 'nurse1234567', 'healthcare123',
  'monkey123456', 'dragon123456', 'master123456', 'shadow123456', 'michael12345',
]);
