using System.Globalization;

namespace Learning.Api.OperatorConsole;

/// <summary>How console pages print values: UTC times to the second, durations as h:mm:ss.</summary>
public static class ConsoleFormat
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "–";

    public static string Duration(double seconds) =>
        TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds))).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
