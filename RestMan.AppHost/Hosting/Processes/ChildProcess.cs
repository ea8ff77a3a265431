using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RestMan.Hosting.Processes;

/// <summary>
/// A process the AppHost owns: started in its own session (setsid) so the whole group — e.g. postgres
/// and its backends, or runuser and its child — can be signalled and reaped by PID, never by name.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SigInt = 2, SigKill = 9, SigTerm = 15;
    private readonly Process _process;
    private readonly ResourceLog _log;

    private ChildProcess(Process process, ResourceLog log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;
    public Task Exited { get; private set; } = Task.CompletedTask;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, ResourceLog log,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildProcessRegistry.Add(process.Id);
        return new ChildProcess(process, log) { Exited = exited.Task };
    }

    /// <summary>Asks the process group to stop; kills it if it has not gone within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, bool interrupt = false)
    {
        if (!_process.HasExited)
        {
            SignalGroup(interrupt ? SigInt : SigTerm);
            await Task.WhenAny(Exited, Task.Delay(grace));
        }
        // The leader may be gone while children (postgres backends) linger: always sweep the group.
        SignalGroup(SigKill);
        await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(2)));
        ChildProcessRegistry.Remove(Pid);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(3));
        _process.Dispose();
    }

    private void SignalGroup(int signal) => Kill(-Pid, signal);

    internal static void KillGroupNow(int pid) => Kill(-pid, SigKill);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public override string ToString() => $"{_log.ResourceName} (pid {Pid})";
}

/// <summary>Every group still running, so a dying AppHost or test host takes its children with it.</summary>
internal static class ChildProcessRegistry
{
    private static readonly HashSet<int> Groups = [];

    static ChildProcessRegistry() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Add(int pid) { lock (Groups) Groups.Add(pid); }
    public static void Remove(int pid) { lock (Groups) Groups.Remove(pid); }

    public static void KillAll()
    {
        int[] pids;
        lock (Groups) pids = [.. Groups];
        foreach (var pid in pids) ChildProcess.KillGroupNow(pid);
    }
}
