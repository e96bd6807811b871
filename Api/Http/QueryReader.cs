using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Learning.Common;
using Learning.ReadModel;

namespace Learning.Api.Http;

/// <summary>
/// Reads the query string of the list routes, collecting every bad parameter before answering 400. Paging is
/// the contract's: <c>limit</c> (default 50, above 200 taken as 200, below 1 or not a number is 400) and an
/// opaque <c>cursor</c> handed back as <c>next_cursor</c>.
/// </summary>
public sealed class QueryReader(HttpRequest request)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private readonly RequestErrors _errors = new();

    public string? Text(string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    public Guid? Guid(string name) => Parse(name, "Must be a UUID.", (string s, out Guid v) => System.Guid.TryParse(s, out v));

    public bool? Bool(string name) => Parse(name, "Must be true or false.", (string s, out bool v) => bool.TryParse(s, out v));

    public DateTimeOffset? Timestamp(string name) => Parse(name, "Must be an ISO 8601 timestamp, e.g. 2026-11-24T10:00:00Z.",
        (string s, out DateTimeOffset v) => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out v));

    /// <summary>A parameter that must be one of <paramref name="names"/>, read by <paramref name="parse"/>.</summary>
    public T? OneOf<T>(string name, TryParser<T> parse, IEnumerable<string> names) where T : struct =>
        Parse(name, $"Must be one of {string.Join(", ", names)}.", parse);

    public void Reject(string name, string message) => _errors.Add(name, message);

    public delegate bool TryParser<T>(string text, out T value);

    public (int Limit, PageCursor? After) Page()
    {
        var limit = DefaultLimit;
        if (Text("limit") is { } raw)
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                _errors.Add("limit", $"Must be a whole number from 1 to {MaxLimit}.");
            }

            limit = Math.Clamp(limit, 1, MaxLimit);
        }

        PageCursor? after = null;
        if (Text("cursor") is { } cursor)
        {
            after = DecodeCursor(cursor);
            if (after is null)
            {
                _errors.Add("cursor", "Not a cursor this service handed out.");
            }
        }

        return (limit, after);
    }

    /// <summary>Every bad parameter so far, for pages that show them instead of answering 400.</summary>
    public Dictionary<string, string[]> Errors => _errors.ToDictionary();

    /// <summary>Answers 400 <c>validation_error</c> listing every bad parameter, if there was one.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Any)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "The request is not valid.", _errors.ToDictionary());
        }
    }

    /// <summary>Encodes a position as an opaque token, so clients cannot come to depend on its shape.</summary>
    public static string? EncodeCursor(PageCursor? cursor) => cursor is { } c
        ? Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{c.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{c.Id:N}"))
        : null;

    private static PageCursor? DecodeCursor(string cursor)
    {
        if (cursor.Length > 128 || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
        return parts.Length == 2
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
               && System.Guid.TryParseExact(parts[1], "N", out var id)
            ? new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }

    private T? Parse<T>(string name, string message, TryParser<T> parse) where T : struct
    {
        if (Text(name) is not { } raw)
        {
            return null;
        }

        if (parse(raw, out var value))
        {
            return value;
        }

        _errors.Add(name, message);
        return null;
    }
}
