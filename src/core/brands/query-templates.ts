/**
 * Offline query proposals (the `rules` provider): questions a buyer might put to an AI assistant
 * about a topic, in Swedish and English. They never name the brand, so the answers show whether
 * assistants bring it up unprompted.
 */
const SWEDISH = [
  "Vilka företag är bäst på {topic} i Sverige?",
  "Vilken leverantör inom {topic} rekommenderar du för ett litet företag?",
  "Vad ska man tänka på när man väljer leverantör för {topic}?",
  "Jämför de största aktörerna inom {topic} i Sverige.",
];
const ENGLISH = ["What are the best {topic} providers in Sweden?", "Which {topic} company would you recommend in Scandinavia?"];

/** The template questions for one topic, Swedish first. */
export function templateQueries(topic: string): string[] {
  const t = topic.trim().replace(/\s+/g, " ");
  return [...SWEDISH, ...ENGLISH].map((q) => q.replace("{topic}", t));
}
