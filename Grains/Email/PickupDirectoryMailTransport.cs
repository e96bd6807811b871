using System.Globalization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Learning.Email;

/// <summary>
/// Each message as an <c>.eml</c> file (any mail program opens it) in <see cref="EmailOptions.PickupDirectory"/>.
/// Written to a hidden temporary file and renamed, so a reader never sees half a message; named by the message id,
/// so a repeated delivery replaces the file instead of adding a second one.
/// </summary>
public sealed class PickupDirectoryMailTransport(IOptions<EmailOptions> options) : IMailTransport, IMailSession
{
    private string Folder => options.Value.PickupDirectory;

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IMailSession>(this);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var name = FileName(message);
        var temporary = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await message.WriteToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, Path.Combine(Folder, name), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Sorts by time in a folder listing: <c>20261124-100000-{message id}.eml</c>.</summary>
    public static string FileName(MimeMessage message)
    {
        var id = (message.MessageId ?? "").Split('@')[0];
        var safe = string.Concat(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        return $"{message.Date.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{safe}.eml";
    }
}
