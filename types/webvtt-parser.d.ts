// webvtt-parser ships no types; this is the part Redress uses.
declare module 'webvtt-parser' {
  const vtt: {
    WebVTTParser: new () => {
      parse(
        input: string,
        mode?: string,
      ): {
        cues: Array<{ startTime: number; endTime: number; text: string }>;
        errors: Array<{ message: string; line: number }>;
      };
    };
  };
  export default vtt;
}
