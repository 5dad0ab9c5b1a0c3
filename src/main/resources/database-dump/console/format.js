// Numbers for people: sizes in KB/MB/GB, times in the viewer's time zone (UTC on hover), durations as "1 m 12 s".

export function size(bytes) {
  if (bytes === undefined || bytes === null) {
    return '—';
  }
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function count(value) {
  return value === undefined || value === null ? '—' : Number(value).toLocaleString();
}

/** A time element: the viewer's local time, the UTC instant in its title and datetime. */
export function time(iso, h) {
  if (!iso) {
    return '—';
  }
  const at = new Date(iso);
  return h('time', { datetime: at.toISOString(), title: `${at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` },
    at.toLocaleString());
}

export function duration(milliseconds) {
  if (milliseconds === undefined || milliseconds === null) {
    return '—';
  }
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 1) {
    return `${milliseconds} ms`;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return [hours ? `${hours} h` : '', minutes ? `${minutes} m` : '', rest || (!hours && !minutes) ? `${rest} s` : '']
    .filter(Boolean).join(' ');
}

/** The file name of a key: what a dump is called on the page. */
export function fileName(key) {
  return key.substring(key.lastIndexOf('/') + 1);
}
