namespace Ign.Configuration;

/// <summary>What a resumed run may do with a setting its checkpoint was trained with.</summary>
public enum OnResume
{
    /// <summary>Part of what was trained: changing it would make another run (the default).</summary>
    Fixed,
    /// <summary>Changes nothing already trained (length, machine, which checkpoints to keep).</summary>
    Free,
    /// <summary>
    /// A schedule that may be added or changed only from the checkpoint's step on (TrainConfig.CheckResume).
    /// </summary>
    FromCheckpointStep,
}

/// <summary>
/// Makes a settings property a command-line option: its flag and help text, and what resuming may do with it.
/// The property's initial value is the option's default, so the record is the one place a knob is declared.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnobAttribute(string flag, string help) : Attribute
{
    public string Flag { get; } = flag;
    public string Help { get; } = help;
    public OnResume OnResume { get; init; } = OnResume.Fixed;
}
