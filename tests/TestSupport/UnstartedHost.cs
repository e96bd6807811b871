using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Learning.TestSupport;

/// <summary>
/// Runs an app's entry point up to <c>builder.Build()</c> and stops it there, the way <c>dotnet ef</c> and
/// <c>WebApplicationFactory</c> find an app's host: the hosting library announces the built host on the
/// <c>Microsoft.Extensions.Hosting</c> diagnostic listener, and a <see cref="HostAbortedException"/> thrown from that
/// event ends the entry point. The host's services exist; nothing has started (no hosted service, no server, no silo).
/// Settings reach the entry point as <c>--key=value</c> arguments, as <c>WebApplicationFactory</c> passes its
/// <c>UseSetting</c> values; the content root is the test's output folder, which holds the app's appsettings files.
/// </summary>
public static class UnstartedHost
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);

    public static IHost Build<TEntryPoint>(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point");
        string[] args = [$"--{HostDefaults.ContentRootKey}={AppContext.BaseDirectory}", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        var listener = new HostListener();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(listener);
        var thread = new Thread(() =>
        {
            // Other hosts may be built on other threads meanwhile: the listener answers this thread's events only.
            HostListener.Current.Value = listener;
            try
            {
                entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
                listener.Host.TrySetException(new InvalidOperationException("The entry point returned without building a host."));
            }
            catch (TargetInvocationException exception) when (exception.InnerException is HostAbortedException)
            {
                // Stopped by the listener once the host was built.
            }
            catch (TargetInvocationException exception)
            {
                listener.Host.TrySetException(exception.InnerException ?? exception);
            }
        })
        {
            IsBackground = true,
            Name = "UnstartedHost.EntryPoint",
        };
        thread.Start();
        if (!listener.Host.Task.Wait(BuildTimeout))
        {
            throw new TimeoutException($"The entry point built no host within {BuildTimeout}.");
        }

        return listener.Host.Task.GetAwaiter().GetResult();
    }

    private sealed class HostListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public static readonly AsyncLocal<HostListener?> Current = new();

        public TaskCompletionSource<IHost> Host { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnNext(DiagnosticListener value)
        {
            if (Current.Value == this && value.Name == "Microsoft.Extensions.Hosting")
            {
                // The hosting library disposes its listener, and with it this subscription, once the host is built.
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Current.Value == this && value.Key == "HostBuilt")
            {
                Host.TrySetResult((IHost)value.Value!);
                throw new HostAbortedException();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
