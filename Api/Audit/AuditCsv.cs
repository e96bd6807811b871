using System.Globalization;
using System.Text;
using Learning.Audit;

namespace Learning.Api.Audit;

/// <summary>
/// The audit export's CSV (RFC 4180: comma-separated, CRLF line ends, a field holding a comma, quote or line break is
/// quoted with its quotes doubled). A cell an operator's spreadsheet would read as a formula (leading <c>=</c>,
/// <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets a leading <c>'</c>: entries carry text clients chose
/// (user agents, device names, emails), and opening the export must not run it.
/// </summary>
public static class AuditCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static readonly string Header = Row(["id", "created_at", "user_id", "user_email", "action", "ip_address", "user_agent", "metadata"]);

    public static string Row(AuditEntry entry) => Row([
        entry.Id.ToString(), Timestamp(entry.CreatedAt), entry.UserId?.ToString(), entry.UserEmail, entry.Action, entry.IpAddress,
        entry.UserAgent, entry.MetadataJson,
    ]);

    /// <summary>One record with its CRLF.</summary>
    public static string Row(IReadOnlyList<string?> cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Cell(cells[i]));
        }

        return line.Append("\r\n").ToString();
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>ISO 8601 UTC with <c>Z</c>, as the JSON routes write timestamps (fractions only when there are any).</summary>
    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
