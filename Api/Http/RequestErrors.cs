namespace Learning.Api.Http;

/// <summary>Collects field errors of a request body, keyed by JSON field name.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Checks a required string: present, not blank, not longer than <paramref name="maxLength"/>.</summary>
    public bool RequireText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "This field is required.");
            return false;
        }

        if (value.Length > maxLength)
        {
            Add(field, $"Ensure this field has no more than {maxLength} characters.");
            return false;
        }

        return true;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

/// <summary>A JSON request body that checks its own shape after binding.</summary>
public interface IRequestBody
{
    void Validate(RequestErrors errors);
}
