using System.Text.Json.Nodes;

namespace Learning.Audit;

/// <summary>Builds the JSON metadata of an audit entry from name/value pairs; null values are left out.</summary>
public static class AuditMetadata
{
    public const string Empty = "{}";

    public static string Of(params (string Name, object? Value)[] fields)
    {
        var json = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                json[name] = JsonValue.Create(value);
            }
        }

        return json.ToJsonString();
    }
}
