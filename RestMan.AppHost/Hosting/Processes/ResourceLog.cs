namespace RestMan.Hosting.Processes;

/// <summary>A resource's console output: echoed with the resource's name and kept for failure reports.</summary>
public sealed class ResourceLog(string resourceName, bool echoToConsole, int keep = 200)
{
    private static readonly object ConsoleLock = new();
    private readonly Queue<string> _lines = new();

    public string ResourceName { get; } = resourceName;

    public void Write(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > keep) _lines.Dequeue();
        }
        if (!echoToConsole) return;
        lock (ConsoleLock)
        {
            Console.ForegroundColor = ColorFor(ResourceName);
            Console.Write($"{ResourceName,-12}| ");
            Console.ResetColor();
            Console.WriteLine(line);
        }
    }

    public IReadOnlyList<string> Tail(int count = 30)
    {
        lock (_lines) return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
    }

    private static ConsoleColor ColorFor(string name)
    {
        ConsoleColor[] palette = [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta,
            ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkYellow];
        var hash = name.Aggregate(17, (h, c) => h * 31 + c);
        return palette[(hash & int.MaxValue) % palette.Length];
    }
}
