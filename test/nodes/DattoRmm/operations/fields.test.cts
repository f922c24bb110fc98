/** Input converters: dates in the workflow's time zone, calendar days, MAC addresses, UDF numbers. */
import { checkUdfNumber, parseDate, toDayDate, toMacAddress } from '../../../../nodes/DattoRmm/operations/fields';
import { InputError } from '../../../../nodes/DattoRmm/operations/validate';

describe('parseDate', () => {
	test("a date-time without zone (n8n's date picker) is read in the workflow's time zone", () => {
		expect(parseDate('2026-05-31T08:00:00', 'From', 'Europe/Berlin').toISOString()).toBe('2026-05-31T06:00:00.000Z');
		expect(parseDate('2026-01-31T08:00:00', 'From', 'Europe/Berlin').toISOString()).toBe('2026-01-31T07:00:00.000Z');
		expect(parseDate('2026-05-31T08:00', 'From', 'America/New_York').toISOString()).toBe('2026-05-31T12:00:00.000Z');
		expect(parseDate('2026-05-31T08:00:00', 'From', 'UTC').toISOString()).toBe('2026-05-31T08:00:00.000Z');
	});

	test('a date-time that names its zone keeps it; epoch milliseconds stay as they are', () => {
		expect(parseDate('2026-05-31T08:00:00Z', 'From', 'Europe/Berlin').toISOString()).toBe('2026-05-31T08:00:00.000Z');
		expect(parseDate('2026-05-31T08:00:00+02:00', 'From', 'America/New_York').toISOString()).toBe('2026-05-31T06:00:00.000Z');
		expect(parseDate(1780214400000, 'From', 'Europe/Berlin').getTime()).toBe(1780214400000);
	});

	test('an invalid date names the field', () => {
		expect(() => parseDate('31/05/2026 soon', 'From', 'UTC')).toThrow(InputError);
		expect(() => parseDate('31/05/2026 soon', 'From', 'UTC')).toThrow(/From is not a valid date/);
	});
});

test('toDayDate keeps the calendar day typed and refuses days that do not exist', () => {
	expect(toDayDate('2027-03-31T00:00:00', 'Warranty Date')).toBe('2027-03-31');
	expect(toDayDate('2027-03-31', 'Warranty Date')).toBe('2027-03-31');
	expect(() => toDayDate('2027-02-30', 'Warranty Date')).toThrow(/does not exist/);
});

test('toMacAddress strips separators and refuses what is not 12 hex digits', () => {
	expect(toMacAddress('00:1a:2B-3c.4D 5e', 'MAC Address')).toBe('001A2B3C4D5E');
	expect(() => toMacAddress('00:1A:2B', 'MAC Address')).toThrow(/MAC Address "00:1A:2B" is not a MAC address/);
});

test('checkUdfNumber accepts 1..300 only', () => {
	expect(checkUdfNumber(300, 'UDF')).toBe(300);
	expect(() => checkUdfNumber(0, 'UDF')).toThrow(/1 to 300/);
	expect(() => checkUdfNumber(301, 'UDF')).toThrow(/1 to 300/);
});
