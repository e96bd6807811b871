using System.Text.Json;
using NpgsqlTypes;
using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// Many rows as one jsonb parameter, unpacked in SQL with <c>jsonb_to_recordset</c>: one statement and one round
/// trip however many rows. Property names become snake_case column names.
/// </summary>
internal static class JsonbRows
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static NpgsqlParameter Parameter<T>(IEnumerable<T> rows) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(rows, Json) };
}
