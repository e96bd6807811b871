using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Learning.Common;

namespace Learning.Api.Http;

/// <summary>
/// The contract's paging: <c>limit</c> (default 50, above 200 taken as 200, below 1 or not a number is 400) and an
/// opaque <c>cursor</c> handed back as <c>next_cursor</c>.
/// </summary>
public sealed record PageRequest(int Limit, string? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static PageRequest From(HttpRequest request, RequestErrors errors)
    {
        var limit = DefaultLimit;
        var raw = request.Query["limit"].ToString();
        if (raw.Length > 0)
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                errors.Add("limit", $"Must be a whole number from 1 to {MaxLimit}.");
            }

            limit = Math.Clamp(limit, 1, MaxLimit);
        }

        var cursor = request.Query["cursor"].ToString();
        return new PageRequest(limit, cursor.Length > 0 ? cursor : null);
    }

    /// <summary>Encodes a position as an opaque token, so clients cannot come to depend on its shape.</summary>
    public static string EncodeCursor(DateTimeOffset at, Guid id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{id:N}"));

    public static bool TryDecodeCursor(string cursor, out DateTimeOffset at, out Guid id)
    {
        at = default;
        id = default;
        if (cursor.Length > 128 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (!Base64Url.TryDecodeFromChars(cursor, buffer, out var written))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(buffer, 0, written).Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out id))
        {
            return false;
        }

        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    public static void ThrowIfInvalid(RequestErrors errors)
    {
        if (errors.Any)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "The request is not valid.", errors.ToDictionary());
        }
    }
}
